// convert_value: the one place where a value becomes a value of a schema type. Readers of text formats
// call it for every field, so the common cases (a string into a string, a number into a number) return
// without allocating.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "sluice/record_value.hpp"

namespace sluice {

namespace {

std::string quoted(const Value& v) {
  std::string s;
  append_text(v, s);
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return v.kind() == ValueKind::kString ? "'" + s + "'" : s;
}

std::optional<Value> fail(const Value& v, const DataType& t, std::string& reason) {
  if (v.is_null()) {
    reason = "null is not allowed for " + std::string(type_name(t.kind));
  } else {
    reason = quoted(v) + " is not a" + (t.kind == TypeKind::kInt || t.kind == TypeKind::kArray ? "n " : " ") +
             std::string(type_name(t.kind));
  }
  return std::nullopt;
}

std::optional<std::int64_t> parse_long(std::string_view t) {
  if (!t.empty() && t[0] == '+') t.remove_prefix(1);
  std::int64_t v = 0;
  auto r = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || r.ec != std::errc() || r.ptr != t.data() + t.size()) return std::nullopt;
  return v;
}

std::optional<double> parse_double(std::string_view t) {
  if (!t.empty() && t[0] == '+') t.remove_prefix(1);
  double v = 0;
  auto r = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || r.ec != std::errc() || r.ptr != t.data() + t.size()) {
    if (t == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (t == "Infinity") return std::numeric_limits<double>::infinity();
    if (t == "-Infinity") return -std::numeric_limits<double>::infinity();
    return std::nullopt;
  }
  return v;
}

// The integer a decimal text denotes, when it has no fraction and fits.
std::optional<std::int64_t> integral_decimal(std::string_view text) {
  const auto dot = text.find('.');
  if (dot != std::string_view::npos) {
    if (text.substr(dot + 1).find_first_not_of('0') != std::string_view::npos) return std::nullopt;
    text = text.substr(0, dot);
  }
  return parse_long(text);
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if ((a[i] | 0x20) != (b[i] | 0x20)) return false;
  }
  return true;
}

std::optional<Value> to_integer(const Value& v, const DataType& t, std::string& reason) {
  std::optional<std::int64_t> i;
  switch (v.kind()) {
    case ValueKind::kInt: i = v.as_int(); break;
    case ValueKind::kDouble: {
      const double d = v.as_double();
      if (std::trunc(d) == d && d >= -9.2e18 && d <= 9.2e18) i = static_cast<std::int64_t>(d);
      break;
    }
    case ValueKind::kString:
    case ValueKind::kDecimal: i = integral_decimal(v.as_text()); break;
    default: break;
  }
  if (!i) return fail(v, t, reason);
  if (t.kind == TypeKind::kInt &&
      (*i < std::numeric_limits<std::int32_t>::min() || *i > std::numeric_limits<std::int32_t>::max())) {
    reason = std::to_string(*i) + " is out of range for int";
    return std::nullopt;
  }
  return Value::integer(*i);
}

std::optional<Value> to_real(const Value& v, const DataType& t, std::string& reason) {
  switch (v.kind()) {
    case ValueKind::kDouble: return v;
    case ValueKind::kInt: return Value::real(static_cast<double>(v.as_int()));
    case ValueKind::kString:
    case ValueKind::kDecimal:
      if (auto d = parse_double(v.as_text())) return Value::real(*d);
      break;
    default: break;
  }
  return fail(v, t, reason);
}

std::optional<Value> to_decimal(const Value& v, const DataType& t, RecordArena& arena, std::string& reason) {
  thread_local std::string text;
  thread_local std::string normalized;
  thread_local std::string scaled;
  text.clear();
  switch (v.kind()) {
    case ValueKind::kDecimal:
    case ValueKind::kString:
    case ValueKind::kInt:
    case ValueKind::kDouble: append_text(v, text); break;
    default: return fail(v, t, reason);
  }
  if (!normalize_decimal(text, normalized)) return fail(v, t, reason);
  if (!rescale_decimal(normalized, t.scale, scaled)) {
    reason = quoted(v) + " has more than " + std::to_string(t.scale) + " fraction digits";
    return std::nullopt;
  }
  if (t.precision > 0 && decimal_precision(scaled) > t.precision) {
    reason = quoted(v) + " has more than " + std::to_string(t.precision) + " digits";
    return std::nullopt;
  }
  if (v.kind() == ValueKind::kDecimal && scaled == v.as_text()) return v;
  return Value::decimal(arena.copy(scaled));
}

std::optional<Value> to_string_value(const Value& v, RecordArena& arena) {
  switch (v.kind()) {
    case ValueKind::kString: return v;
    case ValueKind::kBytes:
    case ValueKind::kDecimal: return Value::string(v.as_text());
    default: {
      thread_local std::string text;
      text.clear();
      append_text(v, text);
      return Value::string(arena.copy(text));
    }
  }
}

std::optional<Value> to_timestamp(const Value& v, const DataType& t, std::string& reason) {
  switch (v.kind()) {
    case ValueKind::kTimestamp: return v;
    case ValueKind::kDate: return Value::timestamp(v.as_int() * 86'400'000'000LL);
    case ValueKind::kInt:
      return Value::timestamp(t.kind == TypeKind::kTimestampMillis ? v.as_int() * 1000 : v.as_int());
    case ValueKind::kString:
      if (auto ts = parse_timestamp(v.as_text())) return Value::timestamp(ts->micros, ts->offset_minutes);
      break;
    default: break;
  }
  return fail(v, t, reason);
}

std::optional<Value> to_union(const Value& v, const DataType& t, RecordArena& arena, std::string& reason) {
  if (v.is_null()) {
    if (t.is_nullable()) return v;
    return fail(v, t, reason);
  }
  // A branch of the value's own kind first, so that "12" stays a string in ["null","long","string"].
  auto natural = [&](TypeKind k) {
    switch (v.kind()) {
      case ValueKind::kString: return k == TypeKind::kString;
      case ValueKind::kInt: return k == TypeKind::kLong || k == TypeKind::kInt;
      case ValueKind::kDouble: return k == TypeKind::kDouble || k == TypeKind::kFloat;
      case ValueKind::kBoolean: return k == TypeKind::kBoolean;
      case ValueKind::kBytes: return k == TypeKind::kBytes || k == TypeKind::kFixed;
      case ValueKind::kDecimal: return k == TypeKind::kDecimal;
      case ValueKind::kArray: return k == TypeKind::kArray;
      case ValueKind::kMap: return k == TypeKind::kMap;
      case ValueKind::kRecord: return k == TypeKind::kRecord;
      default: return false;
    }
  };
  for (const auto& b : t.branches) {
    if (natural(b->kind)) {
      if (auto r = convert_value(v, *b, arena, reason)) return r;
    }
  }
  for (const auto& b : t.branches) {
    if (b->kind == TypeKind::kNull || natural(b->kind)) continue;
    if (auto r = convert_value(v, *b, arena, reason)) return r;
  }
  reason = quoted(v) + " fits no branch of the union";
  return std::nullopt;
}

}  // namespace

std::optional<Value> convert_value(const Value& v, const DataType& t, RecordArena& arena,
                                   std::string& reason) {
  if (t.kind == TypeKind::kUnion) return to_union(v, t, arena, reason);
  if (v.is_null()) {
    if (t.kind == TypeKind::kNull) return v;
    return fail(v, t, reason);
  }
  switch (t.kind) {
    case TypeKind::kNull: return fail(v, t, reason);
    case TypeKind::kString: return to_string_value(v, arena);
    case TypeKind::kBoolean:
      if (v.kind() == ValueKind::kBoolean) return v;
      if (v.kind() == ValueKind::kString) {
        if (iequals(v.as_text(), "true")) return Value::boolean(true);
        if (iequals(v.as_text(), "false")) return Value::boolean(false);
      }
      return fail(v, t, reason);
    case TypeKind::kInt:
    case TypeKind::kLong: return to_integer(v, t, reason);
    case TypeKind::kFloat:
    case TypeKind::kDouble: return to_real(v, t, reason);
    case TypeKind::kBytes:
      if (v.kind() == ValueKind::kBytes) return v;
      if (v.kind() == ValueKind::kString) return Value::bytes(v.as_text());
      return fail(v, t, reason);
    case TypeKind::kFixed:
      if ((v.kind() == ValueKind::kBytes || v.kind() == ValueKind::kString) &&
          v.as_text().size() == t.fixed_size) {
        return Value::bytes(v.as_text());
      }
      return fail(v, t, reason);
    case TypeKind::kEnum:
      if (v.kind() == ValueKind::kString) {
        for (const auto& s : t.symbols) {
          if (s == v.as_text()) return v;
        }
        reason = quoted(v) + " is not one of the enum's symbols";
        return std::nullopt;
      }
      return fail(v, t, reason);
    case TypeKind::kDecimal: return to_decimal(v, t, arena, reason);
    case TypeKind::kDate:
      if (v.kind() == ValueKind::kDate) return v;
      if (v.kind() == ValueKind::kInt) return Value::date(static_cast<std::int32_t>(v.as_int()));
      if (v.kind() == ValueKind::kString) {
        if (auto d = parse_date(v.as_text())) return Value::date(*d);
      }
      return fail(v, t, reason);
    case TypeKind::kTimeMillis:
    case TypeKind::kTimeMicros:
      if (v.kind() == ValueKind::kTime) return v;
      if (v.kind() == ValueKind::kInt) {
        return Value::time(t.kind == TypeKind::kTimeMillis ? v.as_int() * 1000 : v.as_int());
      }
      if (v.kind() == ValueKind::kString) {
        if (auto tm = parse_time(v.as_text())) return Value::time(*tm);
      }
      return fail(v, t, reason);
    case TypeKind::kTimestampMillis:
    case TypeKind::kTimestampMicros: return to_timestamp(v, t, reason);
    case TypeKind::kArray: {
      if (v.kind() != ValueKind::kArray) return fail(v, t, reason);
      const auto in = v.items();
      Value* items = arena.values(in.size());
      for (std::size_t i = 0; i < in.size(); ++i) {
        auto item = convert_value(in[i], *t.items, arena, reason);
        if (!item) {
          reason.insert(0, ": ").insert(0, std::to_string(i)).insert(0, "item ");
          return std::nullopt;
        }
        items[i] = *item;
      }
      return Value::array(items, in.size());
    }
    case TypeKind::kMap: {
      if (v.kind() != ValueKind::kMap) return fail(v, t, reason);
      const auto in = v.entries();
      MapEntry* entries = arena.entries(in.size());
      for (std::size_t i = 0; i < in.size(); ++i) {
        auto item = convert_value(in[i].value, *t.items, arena, reason);
        if (!item) {
          reason.insert(0, "\': ").insert(0, in[i].key).insert(0, "key \'");
          return std::nullopt;
        }
        entries[i] = MapEntry{in[i].key, *item};
      }
      return Value::map(entries, in.size());
    }
    case TypeKind::kRecord:
      if (v.kind() == ValueKind::kRecord && v.items().size() == t.fields.size()) return v;
      return fail(v, t, reason);
    case TypeKind::kUnion: break;
  }
  return fail(v, t, reason);
}

}  // namespace sluice
