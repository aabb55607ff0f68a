#include "json_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <map>
#include <simdjson.h>
#include <string>
#include <utility>

#include "byte_scan.hpp"

namespace sluice::records {

namespace ondemand = simdjson::ondemand;

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  return s;
}

// The branch of `t` (itself, or a union's branch) of one of the given kinds, or nullptr.
const DataType* branch_of(const DataType* t, TypeKind a, TypeKind b = TypeKind::kNull) {
  if (t == nullptr) return nullptr;
  if (t->kind == a || (b != TypeKind::kNull && t->kind == b)) return t;
  if (t->kind == TypeKind::kUnion) {
    for (const auto& br : t->branches) {
      if (br->kind == a || (b != TypeKind::kNull && br->kind == b)) return br.get();
    }
  }
  return nullptr;
}

// A JSON number's text as a Value: an integer when it is one that fits, otherwise its exact decimal text.
Value number_value(std::string_view raw) {
  const bool integral = raw.find_first_of(".eE") == std::string_view::npos;
  if (integral) {
    std::int64_t i = 0;
    auto r = std::from_chars(raw.data(), raw.data() + raw.size(), i);
    if (r.ec == std::errc() && r.ptr == raw.data() + raw.size()) return Value::integer(i);
  }
  return Value::decimal(raw);
}

// The inferred shape of JSON values, widened record by record.
struct Shape {
  enum class Kind : std::uint8_t {
    kNone,
    kBoolean,
    kLong,
    kDouble,
    kDecimal,
    kString,
    kRecord,
    kArray,
    kMixed
  };
  Kind kind = Kind::kNone;
  std::vector<std::pair<std::string, std::unique_ptr<Shape>>> fields;  // kRecord, first-seen order
  std::unique_ptr<Shape> items;                                        // kArray
  int precision = 0;
  int scale = 0;

  Shape* field(std::string_view name) {
    for (auto& [n, s] : fields) {
      if (n == name) return s.get();
    }
    fields.emplace_back(std::string(name), std::make_unique<Shape>());
    return fields.back().second.get();
  }
  void see(Kind k) {
    if (kind == Kind::kNone || kind == k) {
      kind = k;
    } else if ((kind == Kind::kLong && k == Kind::kDouble) || (kind == Kind::kDouble && k == Kind::kLong)) {
      kind = Kind::kDouble;
    } else if ((kind == Kind::kLong || kind == Kind::kDouble) && k == Kind::kDecimal) {
      kind = Kind::kDecimal;
    } else if (kind == Kind::kDecimal && (k == Kind::kLong || k == Kind::kDouble)) {
    } else {
      kind = Kind::kMixed;
    }
  }
};

DataTypePtr to_type(const Shape& s, const std::string& name) {
  switch (s.kind) {
    case Shape::Kind::kNone:
    case Shape::Kind::kString:
    case Shape::Kind::kMixed: return DataType::nullable(DataType::primitive(TypeKind::kString));
    case Shape::Kind::kBoolean: return DataType::nullable(DataType::primitive(TypeKind::kBoolean));
    case Shape::Kind::kLong: return DataType::nullable(DataType::primitive(TypeKind::kLong));
    case Shape::Kind::kDouble: return DataType::nullable(DataType::primitive(TypeKind::kDouble));
    case Shape::Kind::kDecimal:
      return DataType::nullable(DataType::decimal(std::max(s.precision, s.scale + 1), s.scale));
    case Shape::Kind::kArray:
      return DataType::nullable(
          DataType::array_of(s.items ? to_type(*s.items, name + "_item")
                                     : DataType::nullable(DataType::primitive(TypeKind::kString))));
    case Shape::Kind::kRecord: {
      std::vector<Field> fields;
      for (const auto& [n, child] : s.fields) {
        Field f;
        f.name = n;
        f.type = to_type(*child, n);
        f.default_json = "null";
        fields.push_back(std::move(f));
      }
      return DataType::nullable(DataType::record(name, std::move(fields)));
    }
  }
  return DataType::nullable(DataType::primitive(TypeKind::kString));
}

std::string syntax_error(simdjson::error_code e) {
  return std::string("JSON syntax error: ") + simdjson::error_message(e);
}

// Scans one JSON value from `p`: returns where it ends (a ',' or ']' at depth 0, or `end`), tracking strings
// and nesting without validating; `depth` is left > 0 when the value is unterminated.
const char* scan_value(const char* p, const char* end, int& depth) {
  depth = 0;
  while (p < end) {
    const char c = *p;
    if (c == '"') {
      ++p;
      while (true) {
        p = find_any(p, end, '"', '\\', '"');
        if (p >= end) break;
        if (*p == '\\') {
          p += 2;
          continue;
        }
        break;
      }
      if (p >= end) break;
      ++p;
      continue;
    }
    if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth == 0) break;  // the enclosing array's ']'
      --depth;
      if (depth == 0) return p + 1;
    } else if (c == ',' && depth == 0) {
      break;
    }
    ++p;
  }
  return p;
}

// Where the first JSON value in [p, end) ends, trailing blanks skipped.
const char* value_end(const char* p, const char* end) {
  int depth = 0;
  const char* e = scan_value(p, end, depth);
  while (e < end && is_space(*e)) ++e;
  return e;
}

}  // namespace

struct JsonReader::Parser {
  ondemand::parser parser;
  std::string padded;
  std::vector<std::vector<Value>> item_stacks;      // scratch per nesting depth
  std::vector<std::vector<MapEntry>> entry_stacks;  // scratch per nesting depth

  simdjson::error_code load(std::string_view slice, ondemand::document& doc) {
    padded.assign(slice);
    padded.reserve(slice.size() + simdjson::SIMDJSON_PADDING);
    return parser.iterate(padded.data(), slice.size(), padded.capacity()).get(doc);
  }

  void infer(ondemand::value v, Shape& shape) {
    ondemand::json_type t;
    if (v.type().get(t) != simdjson::SUCCESS) return;
    switch (t) {
      case ondemand::json_type::null: return;
      case ondemand::json_type::boolean: shape.see(Shape::Kind::kBoolean); return;
      case ondemand::json_type::string: shape.see(Shape::Kind::kString); return;
      case ondemand::json_type::number: {
        std::string_view raw = trim(v.raw_json_token());
        const Value n = number_value(raw);
        if (n.kind() == ValueKind::kInt) {
          shape.see(Shape::Kind::kLong);
          return;
        }
        std::string normalized;
        const bool exponent = raw.find_first_of("eE") != std::string_view::npos;
        if (normalize_decimal(raw, normalized)) {
          const auto dot = normalized.find('.');
          const int scale = dot == std::string::npos ? 0 : static_cast<int>(normalized.size() - dot - 1);
          const int precision = decimal_precision(normalized);
          // Plain fractions up to 15 significant digits round-trip through a double; longer ones do not.
          if (exponent || (precision <= 15 && shape.kind != Shape::Kind::kDecimal)) {
            shape.see(Shape::Kind::kDouble);
          } else {
            shape.see(Shape::Kind::kDecimal);
          }
          shape.scale = std::max(shape.scale, scale);
          shape.precision = std::max(shape.precision, precision - scale);
          if (shape.kind == Shape::Kind::kDecimal) shape.precision = std::max(shape.precision, 1);
        } else {
          shape.see(Shape::Kind::kDouble);
        }
        return;
      }
      case ondemand::json_type::array: {
        shape.see(Shape::Kind::kArray);
        if (shape.kind != Shape::Kind::kArray) return;
        if (!shape.items) shape.items = std::make_unique<Shape>();
        ondemand::array arr;
        if (v.get_array().get(arr) != simdjson::SUCCESS) return;
        for (auto item : arr) {
          ondemand::value iv;
          if (item.get(iv) != simdjson::SUCCESS) return;
          infer(iv, *shape.items);
        }
        return;
      }
      case ondemand::json_type::object: {
        shape.see(Shape::Kind::kRecord);
        if (shape.kind != Shape::Kind::kRecord) return;
        ondemand::object obj;
        if (v.get_object().get(obj) != simdjson::SUCCESS) return;
        for (auto field : obj) {
          std::string_view key;
          if (field.unescaped_key().get(key) != simdjson::SUCCESS) return;
          ondemand::value fv;
          if (field.value().get(fv) != simdjson::SUCCESS) return;
          infer(fv, *shape.field(key));
        }
        return;
      }
    }
  }

  // Decodes `v` as `type`; false with `reason` set when it does not fit or is malformed.
  bool decode(ondemand::value v, const DataType& type, RecordArena& arena, std::size_t depth,
              bool ignore_unknown, Value& out, std::string& reason) {
    ondemand::json_type t;
    if (auto e = v.type().get(t); e != simdjson::SUCCESS) {
      reason = syntax_error(e);
      return false;
    }
    Value raw;
    switch (t) {
      case ondemand::json_type::null:
        if (!v.is_null()) {
          reason = "invalid literal";
          return false;
        }
        break;
      case ondemand::json_type::boolean: {
        bool b = false;
        if (auto e = v.get_bool().get(b); e != simdjson::SUCCESS) {
          reason = syntax_error(e);
          return false;
        }
        raw = Value::boolean(b);
        break;
      }
      case ondemand::json_type::number: raw = number_value(trim(v.raw_json_token())); break;
      case ondemand::json_type::string: {
        std::string_view s;
        if (auto e = v.get_string().get(s); e != simdjson::SUCCESS) {
          reason = syntax_error(e);
          return false;
        }
        raw = Value::string(s);
        break;
      }
      case ondemand::json_type::array:
        return decode_array(v, type, arena, depth, ignore_unknown, out, reason);
      case ondemand::json_type::object:
        return decode_object(v, type, arena, depth, ignore_unknown, out, reason);
    }
    auto converted = convert_value(raw, type, arena, reason);
    if (!converted) return false;
    out = *converted;
    return true;
  }

  std::vector<Value>& items_at(std::size_t depth) {
    if (item_stacks.size() <= depth) item_stacks.resize(depth + 1);
    item_stacks[depth].clear();
    return item_stacks[depth];
  }

  bool decode_array(ondemand::value v, const DataType& type, RecordArena& arena, std::size_t depth,
                    bool ignore_unknown, Value& out, std::string& reason) {
    const DataType* at = branch_of(&type, TypeKind::kArray);
    if (at == nullptr) {
      reason = "an array is not a " + std::string(type_name(type.non_null().kind));
      return false;
    }
    ondemand::array arr;
    if (auto e = v.get_array().get(arr); e != simdjson::SUCCESS) {
      reason = syntax_error(e);
      return false;
    }
    items_at(depth);
    std::size_t index = 0;
    for (auto item : arr) {
      ondemand::value iv;
      if (auto e = item.get(iv); e != simdjson::SUCCESS) {
        reason = syntax_error(e);
        return false;
      }
      Value decoded;
      if (!decode(iv, *at->items, arena, depth + 1, ignore_unknown, decoded, reason)) {
        reason.insert(0, "]: ").insert(0, std::to_string(index)).insert(0, "[");
        return false;
      }
      item_stacks[depth].push_back(decoded);
      ++index;
    }
    std::vector<Value>& done = item_stacks[depth];
    Value* copy = arena.values(done.size());
    std::copy(done.begin(), done.end(), copy);
    out = Value::array(copy, done.size());
    return true;
  }

  bool decode_object(ondemand::value v, const DataType& type, RecordArena& arena, std::size_t depth,
                     bool ignore_unknown, Value& out, std::string& reason) {
    ondemand::object obj;
    if (auto e = v.get_object().get(obj); e != simdjson::SUCCESS) {
      reason = syntax_error(e);
      return false;
    }
    if (const DataType* rt = branch_of(&type, TypeKind::kRecord)) {
      Value* fields = arena.values(rt->fields.size());
      if (!decode_fields(obj, *rt, fields, arena, depth, ignore_unknown, reason)) return false;
      out = Value::record(fields, rt->fields.size());
      return true;
    }
    const DataType* mt = branch_of(&type, TypeKind::kMap);
    if (mt == nullptr) {
      reason = "an object is not a " + std::string(type_name(type.non_null().kind));
      return false;
    }
    if (entry_stacks.size() <= depth) entry_stacks.resize(depth + 1);
    entry_stacks[depth].clear();
    for (auto field : obj) {
      std::string_view key;
      ondemand::value fv;
      if (auto e = field.unescaped_key().get(key); e != simdjson::SUCCESS) {
        reason = syntax_error(e);
        return false;
      }
      if (auto e = field.value().get(fv); e != simdjson::SUCCESS) {
        reason = syntax_error(e);
        return false;
      }
      Value decoded;
      if (!decode(fv, *mt->items, arena, depth + 1, ignore_unknown, decoded, reason)) {
        reason.insert(0, ": ").insert(0, key);
        return false;
      }
      entry_stacks[depth].push_back(MapEntry{key, decoded});
    }
    auto& done = entry_stacks[depth];
    MapEntry* copy = arena.entries(done.size());
    std::copy(done.begin(), done.end(), copy);
    out = Value::map(copy, done.size());
    return true;
  }

  bool decode_fields(ondemand::object obj, const DataType& rt, Value* fields, RecordArena& arena,
                     std::size_t depth, bool ignore_unknown, std::string& reason) {
    for (auto field : obj) {
      std::string_view key;
      if (auto e = field.unescaped_key().get(key); e != simdjson::SUCCESS) {
        reason = syntax_error(e);
        return false;
      }
      const int fi = rt.field_index(key);
      ondemand::value fv;
      if (auto e = field.value().get(fv); e != simdjson::SUCCESS) {
        reason = syntax_error(e);
        return false;
      }
      if (fi < 0) {
        if (!ignore_unknown) {
          reason = "field '" + std::string(key) + "' is not in the schema";
          return false;
        }
        continue;  // On Demand skips the unread value
      }
      const auto& f = rt.fields[static_cast<std::size_t>(fi)];
      if (!decode(fv, *f.type, arena, depth + 1, ignore_unknown, fields[fi], reason)) {
        reason.insert(0, "\': ").insert(0, f.name).insert(0, "field \'");
        return false;
      }
    }
    // Fields absent from the object are null: allowed only where the type allows null.
    for (std::size_t i = 0; i < rt.fields.size(); ++i) {
      if (fields[i].is_null() && !rt.fields[i].type->is_nullable()) {
        reason = "field '" + rt.fields[i].name + "' is missing or null but its type does not allow null";
        return false;
      }
    }
    return true;
  }
};

JsonReader::JsonReader(std::string_view content, const JsonReaderOptions& options)
    : content_(content),
      pos_(content.data()),
      end_(content.data() + content.size()),
      format_(options.format),
      ignore_unknown_(options.ignore_unknown_fields),
      parser_(std::make_unique<Parser>()),
      line_pos_(content.data()),
      line_start_(content.data()) {
  if (content.size() >= 3 && content.substr(0, 3) == "\xEF\xBB\xBF") pos_ += 3;
  if (format_ == JsonInput::kAuto) {
    const char* p = pos_;
    while (p < end_ && is_space(*p)) ++p;
    format_ = (p < end_ && *p == '[') ? JsonInput::kArray : JsonInput::kLines;
  }
  if (options.schema_mode == SchemaMode::kGiven && options.schema) {
    schema_ = options.schema;
    return;
  }
  // Infer from the first records, then start over.
  const char* saved = pos_;
  Shape shape;
  shape.kind = Shape::Kind::kRecord;
  for (std::size_t n = 0; n < options.infer_records;) {
    const SliceStatus s = next_slice();
    if (s == SliceStatus::kEnd) break;
    if (s == SliceStatus::kError) continue;
    ondemand::document doc;
    if (parser_->load(raw_, doc) != simdjson::SUCCESS) continue;
    ondemand::value root;
    if (doc.get_value().get(root) != simdjson::SUCCESS) continue;
    ondemand::json_type t;
    if (root.type().get(t) != simdjson::SUCCESS || t != ondemand::json_type::object) continue;
    parser_->infer(root, shape);
    ++n;
  }
  pos_ = saved;
  array_open_ = false;
  line_ = 1;
  line_pos_ = content.data();
  line_start_ = content.data();
  DataTypePtr inferred = to_type(shape, "json_record");
  schema_ = std::make_shared<const DataType>(inferred->non_null());
}

JsonReader::~JsonReader() = default;

void JsonReader::advance_lines_to(const char* p) {
  while (line_pos_ < p) {
    const char* nl =
        static_cast<const char*>(std::memchr(line_pos_, '\n', static_cast<std::size_t>(p - line_pos_)));
    if (nl == nullptr) {
      line_pos_ = p;
      break;
    }
    ++line_;
    line_start_ = nl + 1;
    line_pos_ = nl + 1;
  }
}

JsonReader::SliceStatus JsonReader::next_slice() {
  reason_.clear();
  if (format_ == JsonInput::kLines) {
    while (pos_ < end_) {
      const char* nl =
          static_cast<const char*>(std::memchr(pos_, '\n', static_cast<std::size_t>(end_ - pos_)));
      const char* line_end = nl == nullptr ? end_ : nl;
      const std::string_view line = trim(std::string_view(pos_, static_cast<std::size_t>(line_end - pos_)));
      const char* next = nl == nullptr ? end_ : nl + 1;
      if (line.empty()) {
        pos_ = next;
        continue;
      }
      raw_ = line;
      pos_ = next;
      return SliceStatus::kSlice;
    }
    return SliceStatus::kEnd;
  }
  // Array: find the next element's extent by tracking strings and nesting; simdjson parses it afterwards.
  while (pos_ < end_ && is_space(*pos_)) ++pos_;
  if (!array_open_) {
    if (pos_ >= end_ || *pos_ != '[') {
      raw_ = std::string_view(pos_, static_cast<std::size_t>(end_ - pos_));
      reason_ = "expected '[' to start the array";
      pos_ = end_;
      return raw_.empty() ? SliceStatus::kEnd : SliceStatus::kError;
    }
    array_open_ = true;
    ++pos_;
    while (pos_ < end_ && is_space(*pos_)) ++pos_;
    if (pos_ < end_ && *pos_ == ']') {
      pos_ = end_;
      return SliceStatus::kEnd;
    }
  } else if (pos_ < end_ && *pos_ == ',') {
    ++pos_;
    while (pos_ < end_ && is_space(*pos_)) ++pos_;
  } else if (pos_ < end_ && *pos_ == ']') {
    ++pos_;
    while (pos_ < end_ && is_space(*pos_)) ++pos_;
    if (pos_ < end_) {
      raw_ = std::string_view(pos_, static_cast<std::size_t>(end_ - pos_));
      reason_ = "content after the end of the array";
      pos_ = end_;
      return SliceStatus::kError;
    }
    return SliceStatus::kEnd;
  }
  if (pos_ >= end_) {
    raw_ = {};
    reason_ = "the array is not closed with ']'";
    array_open_ = false;  // reported once; the next call ends
    return SliceStatus::kError;
  }
  const char* start = pos_;
  int depth = 0;
  const char* p = scan_value(pos_, end_, depth);
  raw_ = trim(std::string_view(start, static_cast<std::size_t>(p - start)));
  pos_ = p;
  if (p >= end_) {
    reason_ =
        depth > 0 ? "unterminated element: the array is not closed" : "the array is not closed with ']'";
    pos_ = end_;
    array_open_ = false;
    return SliceStatus::kError;
  }
  if (raw_.empty()) {
    reason_ = "empty array element";
    if (*pos_ == ',') ++pos_;
    return SliceStatus::kError;
  }
  return SliceStatus::kSlice;
}

ReadStatus JsonReader::next(Record& record) {
  const SliceStatus s = next_slice();
  if (s == SliceStatus::kEnd) return ReadStatus::kEnd;
  ++records_;
  const char* at = raw_.empty() ? pos_ : raw_.data();
  advance_lines_to(at);
  position_ = RecordPosition{records_, line_, static_cast<std::uint64_t>(at - line_start_) + 1,
                             static_cast<std::uint64_t>(at - content_.data())};
  auto invalid = [&](std::string why) {
    issue_ = RecordIssue{std::move(why), position_};
    return ReadStatus::kInvalid;
  };
  if (s == SliceStatus::kError) return invalid(reason_);
  ondemand::document doc;
  if (auto e = parser_->load(raw_, doc); e != simdjson::SUCCESS) return invalid(syntax_error(e));
  ondemand::object obj;
  if (auto e = doc.get_object().get(obj); e != simdjson::SUCCESS) {
    return invalid(e == simdjson::INCORRECT_TYPE ? std::string("expected a JSON object") : syntax_error(e));
  }
  record.reset(schema_);
  if (!parser_->decode_fields(obj, *schema_, record.fields().data(), record.arena(), 0, ignore_unknown_,
                              reason_)) {
    return invalid(reason_);
  }
  if (format_ == JsonInput::kLines &&
      value_end(raw_.data(), raw_.data() + raw_.size()) != raw_.data() + raw_.size()) {
    return invalid("JSON syntax error: content after the object");
  }
  return ReadStatus::kRecord;
}

}  // namespace sluice::records
