#include "expression/function_table.hpp"

#include <vector>

#include "config/names.hpp"
#include "expression/functions.hpp"
#include "expression/regex_arg.hpp"

namespace sluice::internal::el {

namespace {

constexpr auto kReq = SubjectUse::kRequired;
constexpr auto kNo = SubjectUse::kNone;
constexpr auto kOpt = SubjectUse::kOptional;
constexpr auto kMul = SubjectUse::kMulti;
constexpr auto kVar = FunctionSpec::kVariadic;

// NOLINTBEGIN(cert-err58-cpp): a constant table of string views and function pointers
const FunctionSpec kFunctions[] = {
    // family, subject, args min/max, kinds, signature, description, example, result, impl, prepare, multi
    {"toUpper", "String", kReq, 0, 0, "", "toUpper()", "The subject in upper case (ASCII letters).",
     "${filename:toUpper()}", "REPORT.2024.CSV", fn::to_upper},
    {"toLower", "String", kReq, 0, 0, "", "toLower()", "The subject in lower case (ASCII letters).",
     "${status:toLower()}", "alarm", fn::to_lower},
    {"trim", "String", kReq, 0, 0, "", "trim()", "The subject without leading and trailing white space.",
     "${name:trim()}", "Ada", fn::trim},
    {"length", "String", kReq, 0, 0, "", "length()",
     "The number of characters of the subject (0 when absent).", "${filename:length()}", "15", fn::length},
    {"toString", "String", kReq, 0, 0, "", "toString()", "The subject as text.",
     "${count:toNumber():plus(1):toString()}", "43", fn::to_string},
    {"substring", "String", kReq, 1, 2, "nn", "substring(start, end?)",
     "Characters from start (0-based) up to end (exclusive; default the end). Out of range is an error.",
     "${filename:substring(0, 6)}", "report", fn::substring},
    {"substringBefore", "String", kReq, 1, 1, "s", "substringBefore(text)",
     "What comes before the first occurrence of text (the whole subject when absent).",
     "${filename:substringBefore('.')}", "report", fn::substring_before},
    {"substringBeforeLast", "String", kReq, 1, 1, "s", "substringBeforeLast(text)",
     "What comes before the last occurrence of text (the whole subject when absent).",
     "${filename:substringBeforeLast('.')}", "report.2024", fn::substring_before_last},
    {"substringAfter", "String", kReq, 1, 1, "s", "substringAfter(text)",
     "What comes after the first occurrence of text (the whole subject when absent).",
     "${filename:substringAfter('.')}", "2024.csv", fn::substring_after},
    {"substringAfterLast", "String", kReq, 1, 1, "s", "substringAfterLast(text)",
     "What comes after the last occurrence of text (the whole subject when absent).",
     "${filename:substringAfterLast('.')}", "csv", fn::substring_after_last},
    {"replace", "String", kReq, 2, 2, "ss", "replace(search, replacement)",
     "Every occurrence of search (literal text) replaced.", "${filename:replace('.', '_')}",
     "report_2024_csv", fn::replace},
    {"replaceFirst", "String", kReq, 2, 2, "ss", "replaceFirst(regex, replacement)",
     "The first match of the regex replaced; $1 refers to a group.",
     "${filename:replaceFirst('[0-9]+', 'YYYY')}", "report.YYYY.csv", fn::replace_first,
     prepare_regex_first_arg},
    {"replaceAll", "String", kReq, 2, 2, "ss", "replaceAll(regex, replacement)",
     "Every match of the regex replaced; $1 refers to a group.",
     "${filename:replaceAll('([a-z]+)\\.', '$1-')}", "report-2024.csv", fn::replace_all,
     prepare_regex_first_arg},
    {"replaceNull", "String", kReq, 1, 1, "a", "replaceNull(value)", "The value when the subject is absent.",
     "${missing:replaceNull('none')}", "none", fn::replace_null},
    {"replaceEmpty", "String", kReq, 1, 1, "a", "replaceEmpty(value)",
     "The value when the subject is absent, empty or only white space.", "${empty:replaceEmpty('n/a')}",
     "n/a", fn::replace_empty},
    {"append", "String", kReq, 1, 1, "s", "append(text)", "The subject followed by text.",
     "${filename:append('.gz')}", "report.2024.csv.gz", fn::append},
    {"prepend", "String", kReq, 1, 1, "s", "prepend(text)", "Text followed by the subject.",
     "${filename:prepend('in/')}", "in/report.2024.csv", fn::prepend},
    {"padLeft", "String", kReq, 1, 2, "ns", "padLeft(length, padding?)",
     "The subject padded on the left to length characters with padding (default '_').",
     "${count:padLeft(5, '0')}", "00042", fn::pad_left},
    {"padRight", "String", kReq, 1, 2, "ns", "padRight(length, padding?)",
     "The subject padded on the right to length characters with padding (default '_').",
     "${count:padRight(5)}", "42___", fn::pad_right},
    {"repeat", "String", kReq, 1, 1, "n", "repeat(count)", "The subject repeated count times.",
     "${site:repeat(2)}", "northnorth", fn::repeat},
    {"getDelimitedField", "String", kReq, 1, 5, "nsssb",
     "getDelimitedField(index, delimiter?, quote?, escape?, stripChars?)",
     "Field index (1-based) of delimited text (default ',', quote '\"', escape '\\'); stripChars removes "
     "quotes and escapes.",
     "${line:getDelimitedField(3)}", "\"c,d\"", fn::get_delimited_field},

    {"startsWith", "Searching", kReq, 1, 1, "s", "startsWith(text)", "Whether the subject starts with text.",
     "${filename:startsWith('report')}", "true", fn::starts_with},
    {"endsWith", "Searching", kReq, 1, 1, "s", "endsWith(text)", "Whether the subject ends with text.",
     "${filename:endsWith('.csv')}", "true", fn::ends_with},
    {"contains", "Searching", kReq, 1, 1, "s", "contains(text)", "Whether the subject contains text.",
     "${text:contains('World')}", "true", fn::contains},
    {"find", "Searching", kReq, 1, 1, "s", "find(regex)", "Whether the regex matches part of the subject.",
     "${filename:find('[0-9]{4}')}", "true", fn::find, prepare_regex_first_arg},
    {"matches", "Searching", kReq, 1, 1, "s", "matches(regex)",
     "Whether the regex matches the whole subject.", "${filename:matches('[a-z]+\\.[0-9]+\\.csv')}", "true",
     fn::matches, prepare_regex_first_arg},
    {"indexOf", "Searching", kReq, 1, 1, "s", "indexOf(text)",
     "The 0-based position of the first occurrence of text, or -1.", "${filename:indexOf('.')}", "6",
     fn::index_of},
    {"lastIndexOf", "Searching", kReq, 1, 1, "s", "lastIndexOf(text)",
     "The 0-based position of the last occurrence of text, or -1.", "${filename:lastIndexOf('.')}", "11",
     fn::last_index_of},

    {"isNull", "Boolean", kReq, 0, 0, "", "isNull()", "Whether the subject is absent.", "${missing:isNull()}",
     "true", fn::is_null},
    {"notNull", "Boolean", kReq, 0, 0, "", "notNull()", "Whether the subject is present.",
     "${filename:notNull()}", "true", fn::not_null},
    {"isEmpty", "Boolean", kReq, 0, 0, "", "isEmpty()",
     "Whether the subject is absent, empty or only white space.", "${empty:isEmpty()}", "true", fn::is_empty},
    {"equals", "Boolean", kReq, 1, 1, "a", "equals(value)",
     "Whether the subject equals the value (numbers by value, else as text).", "${status:equals('ALARM')}",
     "true", fn::equals},
    {"equalsIgnoreCase", "Boolean", kReq, 1, 1, "s", "equalsIgnoreCase(text)",
     "Whether the subject equals text, ignoring case.", "${status:equalsIgnoreCase('alarm')}", "true",
     fn::equals_ignore_case},
    {"gt", "Boolean", kReq, 1, 1, "n", "gt(number)", "Whether the subject is greater than the number.",
     "${count:gt(40)}", "true", fn::gt},
    {"ge", "Boolean", kReq, 1, 1, "n", "ge(number)",
     "Whether the subject is greater than or equal to the number.", "${count:ge(42)}", "true", fn::ge},
    {"lt", "Boolean", kReq, 1, 1, "n", "lt(number)", "Whether the subject is less than the number.",
     "${kwh:lt(100)}", "false", fn::lt},
    {"le", "Boolean", kReq, 1, 1, "n", "le(number)",
     "Whether the subject is less than or equal to the number.", "${count:le(42)}", "true", fn::le},
    {"and", "Boolean", kReq, 1, 1, "b", "and(condition)",
     "Both true; the condition is evaluated only when the subject is true.",
     "${status:equals('ALARM'):and(${count:gt(10)})}", "true", fn::logical_and},
    {"or", "Boolean", kReq, 1, 1, "b", "or(condition)",
     "Either true; the condition is evaluated only when the subject is false.",
     "${status:equals('OK'):or(${kwh:toNumber():gt(100)})}", "true", fn::logical_or},
    {"not", "Boolean", kReq, 0, 0, "", "not()", "The opposite of the subject.",
     "${status:equals('OK'):not()}", "true", fn::logical_not},
    {"ifElse", "Boolean", kReq, 2, 2, "aa", "ifElse(then, else)",
     "then when the subject is true, else otherwise; only the chosen one is evaluated.",
     "${status:equals('ALARM'):ifElse('page', 'log')}", "page", fn::if_else},
    {"in", "Boolean", kReq, 1, kVar, "s", "in(value, ...)", "Whether the subject equals one of the values.",
     "${site:in('north', 'south')}", "true", fn::in},

    {"plus", "Math", kReq, 1, 1, "n", "plus(number)",
     "The sum; whole when both are whole numbers, else decimal.", "${count:plus(8)}", "50", fn::plus},
    {"minus", "Math", kReq, 1, 1, "n", "minus(number)", "The difference.", "${count:minus(2)}", "40",
     fn::minus},
    {"multiply", "Math", kReq, 1, 1, "n", "multiply(number)", "The product.", "${kwh:multiply(2)}", "285.0",
     fn::multiply},
    {"divide", "Math", kReq, 1, 1, "n", "divide(number)",
     "The quotient; whole numbers divide to a whole number (truncated). Division by zero is an error.",
     "${count:divide(5)}", "8", fn::divide},
    {"mod", "Math", kReq, 1, 1, "n", "mod(number)", "The remainder of the division.", "${count:mod(5)}", "2",
     fn::mod},
    {"toNumber", "Math", kReq, 0, 0, "", "toNumber()",
     "The subject as a whole number (decimals truncate; dates give milliseconds). Text that is not a number "
     "is an error.",
     "${kwh:toNumber()}", "142", fn::to_number},
    {"toDecimal", "Math", kReq, 0, 0, "", "toDecimal()", "The subject as a decimal number.",
     "${count:toDecimal()}", "42.0", fn::to_decimal},
    {"toRadix", "Math", kReq, 1, 2, "nn", "toRadix(radix, width?)",
     "The number written in base radix (2-36), zero-padded to width.", "${count:toRadix(16, 4)}", "002a",
     fn::to_radix},
    {"fromRadix", "Math", kReq, 1, 1, "n", "fromRadix(radix)", "Text in base radix (2-36) as a whole number.",
     "${literal('ff'):fromRadix(16)}", "255", fn::from_radix},
    {"math", "Math", kOpt, 1, 2, "sn", "math(operation, number?)",
     "A java.lang.Math operation: abs, sqrt, cbrt, ceil, floor, rint, round, signum, exp, log, log10, sin, "
     "cos, "
     "tan, asin, acos, atan, toDegrees, toRadians on the subject; pow, max, min, hypot, atan2 with an "
     "argument; "
     "random without a subject.",
     "${kwh:math('ceil')}", "143.0", fn::math, fn::prepare_math},
    {"random", "Math", kNo, 0, 0, "", "random()", "A random non-negative whole number.", "${random():ge(0)}",
     "true", fn::random},

    {"now", "Date", kNo, 0, 0, "", "now()", "The current date and time (the engine's clock).",
     "${now():format('yyyy-MM-dd')}", "2023-11-14", fn::now},
    {"format", "Date", kReq, 1, 2, "ss", "format(pattern, zone?)",
     "A date (or milliseconds since the epoch) as text in a Java SimpleDateFormat pattern, in the time zone "
     "(IANA name or offset; default UTC).",
     "${time:format(\"yyyy/MM/dd HH:mm:ss.SSS'Z'\", 'GMT')}", "2014/12/31 20:36:03.264Z", fn::format,
     fn::prepare_date},
    {"formatInstant", "Date", kReq, 1, 2, "ss", "formatInstant(pattern, zone?)", "The same as format.",
     "${time:formatInstant('yyyy-MM-dd', 'Asia/Tokyo')}", "2015-01-01", fn::format, fn::prepare_date},
    {"toDate", "Date", kReq, 0, 2, "ss", "toDate(pattern?, zone?)",
     "Text parsed as a date with a SimpleDateFormat pattern in the time zone (default UTC); without a "
     "pattern, milliseconds since the epoch.",
     "${day:toDate('MM-dd-yyyy'):format('yyyy/MM/dd')}", "2014/12/24", fn::to_date, fn::prepare_date},
    {"toInstant", "Date", kReq, 0, 2, "ss", "toInstant(pattern?, zone?)", "The same as toDate.",
     "${day:toInstant('MM-dd-yyyy', 'UTC'):toNumber()}", "1419379200000", fn::to_date, fn::prepare_date},

    {"urlEncode", "Encoding", kReq, 0, 0, "", "urlEncode()",
     "The subject URL-encoded (form encoding, UTF-8).", "${query:urlEncode()}", "a+b%26c", fn::url_encode},
    {"urlDecode", "Encoding", kReq, 0, 0, "", "urlDecode()", "The subject URL-decoded.",
     "${literal('a+b%26c'):urlDecode()}", "a b&c", fn::url_decode},
    {"escapeJson", "Encoding", kReq, 0, 0, "", "escapeJson()", "The subject escaped for a JSON string.",
     "${literal('say \"hi\"'):escapeJson()}", R"(say \"hi\")", fn::escape_json},
    {"unescapeJson", "Encoding", kReq, 0, 0, "", "unescapeJson()", "JSON string escapes resolved.",
     R"(${literal('\\u00e9t\\u00e9'):unescapeJson()})", "\xC3\xA9t\xC3\xA9", fn::unescape_json},
    {"escapeXml", "Encoding", kReq, 0, 0, "", "escapeXml()", "The subject with XML's five entities escaped.",
     "${literal('a<b'):escapeXml()}", "a&lt;b", fn::escape_xml},
    {"unescapeXml", "Encoding", kReq, 0, 0, "", "unescapeXml()", "XML entities resolved.",
     "${literal('a&lt;b'):unescapeXml()}", "a<b", fn::unescape_xml},
    {"escapeCsv", "Encoding", kReq, 0, 0, "", "escapeCsv()",
     "The subject quoted for CSV when it holds a comma, quote or line break.", "${text:escapeCsv()}",
     "\"Hello, World\"", fn::escape_csv},
    {"unescapeCsv", "Encoding", kReq, 0, 0, "", "unescapeCsv()", "A quoted CSV field unquoted.",
     "${literal('\"a,b\"'):unescapeCsv()}", "a,b", fn::unescape_csv},
    {"base64Encode", "Encoding", kReq, 0, 0, "", "base64Encode()", "The subject in base64.",
     "${status:base64Encode()}", "QUxBUk0=", fn::base64_encode},
    {"base64Decode", "Encoding", kReq, 0, 0, "", "base64Decode()",
     "Base64 decoded; invalid base64 is an error.", "${literal('QUxBUk0='):base64Decode()}", "ALARM",
     fn::base64_decode},
    {"hash", "Encoding", kReq, 1, 1, "s", "hash(algorithm)",
     "The hex digest of the subject: MD5, SHA-1, SHA-224, SHA-256, SHA-384, SHA-512 or SHA3-256.",
     "${status:hash('MD5')}", "9de6d0a670ae5a0dee31a6318aa00e8d", fn::hash, fn::prepare_hash},

    {"jsonPath", "JSON", kReq, 1, 1, "s", "jsonPath(path)",
     "The value at a JSONPath in the subject's JSON ('' when nothing is there; objects and arrays as JSON).",
     "${json:jsonPath('$.meter.id')}", "M-7", fn::json_path, fn::prepare_json_path},
    {"jsonPathSet", "JSON", kReq, 2, 2, "sa", "jsonPathSet(path, value)",
     "The subject's JSON with the value at a definite path set.",
     "${json:jsonPathSet('$.meter.id', 'M-8'):jsonPath('$.meter.id')}", "M-8", fn::json_path_set,
     fn::prepare_json_path},
    {"jsonPathDelete", "JSON", kReq, 1, 1, "s", "jsonPathDelete(path)",
     "The subject's JSON without the value at a definite path.",
     "${json:jsonPathDelete('$.meter.readings'):jsonPath('$.meter')}", R"({"id":"M-7"})",
     fn::json_path_delete, fn::prepare_json_path},
    {"isJson", "JSON", kReq, 0, 0, "", "isJson()", "Whether the subject is a JSON document.",
     "${json:isJson()}", "true", fn::is_json},

    {"uuid", "System", kNo, 0, 0, "", "uuid()", "A random type 4 UUID.", "${uuid():length()}", "36",
     fn::uuid},
    {"hostname", "System", kNo, 0, 0, "", "hostname()", "This host's name.", "${hostname():isEmpty()}",
     "false", fn::hostname},
    {"literal", "System", kNo, 1, 1, "a", "literal(value)", "The value itself, as a subject for functions.",
     "${literal('x'):append('y')}", "xy", fn::literal},

    {"anyAttribute", "Multiple attributes", kMul, 1, kVar, "s", "anyAttribute(name, ...)",
     "Whether the rest of the expression is true for any of the named attributes.",
     "${anyAttribute('status', 'site'):equals('north')}", "true", nullptr, nullptr, MultiMode::kAnyNamed},
    {"allAttributes", "Multiple attributes", kMul, 1, kVar, "s", "allAttributes(name, ...)",
     "Whether the rest of the expression is true for all of the named attributes.",
     "${allAttributes('status', 'site'):isEmpty():not()}", "true", nullptr, nullptr, MultiMode::kAllNamed},
    {"anyMatchingAttribute", "Multiple attributes", kMul, 1, 1, "s", "anyMatchingAttribute(regex)",
     "Whether the rest of the expression is true for any attribute whose name matches the regex.",
     "${anyMatchingAttribute('st.*'):equals('ALARM')}", "true", nullptr, prepare_regex_first_arg,
     MultiMode::kAnyMatching},
    {"allMatchingAttributes", "Multiple attributes", kMul, 1, 1, "s", "allMatchingAttributes(regex)",
     "Whether the rest of the expression is true for every attribute whose name matches the regex.",
     "${allMatchingAttributes('k.*'):toNumber():gt(100)}", "true", nullptr, prepare_regex_first_arg,
     MultiMode::kAllMatching},
    {"anyDelineatedValue", "Multiple attributes", kMul, 2, 2, "ss", "anyDelineatedValue(text, delimiter)",
     "Whether the rest of the expression is true for any of the delimited values of text.",
     "${anyDelineatedValue('a,b,c', ','):equals('b')}", "true", nullptr, nullptr, MultiMode::kAnyDelineated},
    {"allDelineatedValues", "Multiple attributes", kMul, 2, 2, "ss", "allDelineatedValues(text, delimiter)",
     "Whether the rest of the expression is true for all of the delimited values of text.",
     "${allDelineatedValues('1,2,3', ','):lt(4)}", "true", nullptr, nullptr, MultiMode::kAllDelineated},
};

const ExampleAttribute kExampleAttributes[] = {
    {"filename", "report.2024.csv"},
    {"status", "ALARM"},
    {"kwh", "142.5"},
    {"count", "42"},
    {"empty", ""},
    {"name", "  Ada  "},
    {"line", "a,b,\"c,d\",e"},
    {"json", R"({"meter":{"id":"M-7","readings":[3,5,8]}})"},
    {"time", "1420058163264"},
    {"day", "12-24-2014"},
    {"query", "a b&c"},
    {"text", "Hello, World"},
    {"site", "north"},
};
// NOLINTEND(cert-err58-cpp)

}  // namespace

ArgKind FunctionSpec::arg_kind(std::size_t index) const {
  if (arg_kinds.empty()) return ArgKind::kAny;
  const char letter = arg_kinds[std::min(index, arg_kinds.size() - 1)];
  switch (letter) {
    case 'n': return ArgKind::kNumber;
    case 'b': return ArgKind::kBool;
    case 's': return ArgKind::kString;
    default: return ArgKind::kAny;
  }
}

std::span<const FunctionSpec> function_table() {
  return kFunctions;
}

const FunctionSpec* find_function(std::string_view name) {
  for (const auto& f : kFunctions) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::string nearest_function(std::string_view name) {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (const auto& f : kFunctions) names.emplace_back(f.name);
    return names;
  }();
  std::string near = nearest_name(name, kNames);
  if (!near.empty()) return near;
  // A known name with something added or cut (toUpperCase, substr) is a likely slip even when the edit
  // distance is large.
  std::size_t best = 0;
  for (const auto& candidate : kNames) {
    const std::size_t shorter = std::min(candidate.size(), name.size());
    if (shorter >= 3 && shorter > best &&
        iequals(std::string_view(candidate).substr(0, shorter), name.substr(0, shorter))) {
      best = shorter;
      near = candidate;
    }
  }
  return near;
}

std::span<const ExampleAttribute> example_attributes() {
  return kExampleAttributes;
}

}  // namespace sluice::internal::el
