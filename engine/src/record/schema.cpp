// DataType helpers, type names, schema equality and type inference from text.
#include <charconv>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "sluice/record_schema.hpp"
#include "sluice/record_value.hpp"

namespace sluice {

int DataType::field_index(std::string_view field_name, bool with_aliases) const {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == field_name) return static_cast<int>(i);
  }
  if (with_aliases) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      for (const auto& alias : fields[i].aliases) {
        if (alias == field_name) return static_cast<int>(i);
      }
    }
  }
  return -1;
}

bool DataType::is_nullable() const {
  if (kind == TypeKind::kNull) return true;
  if (kind != TypeKind::kUnion) return false;
  for (const auto& b : branches) {
    if (b->kind == TypeKind::kNull) return true;
  }
  return false;
}

const DataType& DataType::non_null() const {
  if (kind != TypeKind::kUnion || branches.size() != 2) return *this;
  if (branches[0]->kind == TypeKind::kNull) return *branches[1];
  if (branches[1]->kind == TypeKind::kNull) return *branches[0];
  return *this;
}

std::string DataType::full_name() const {
  if (name_space.empty() || name.find('.') != std::string::npos) return name;
  return name_space + "." + name;
}

DataTypePtr DataType::primitive(TypeKind k) {
  auto t = std::make_shared<DataType>();
  t->kind = k;
  return t;
}

DataTypePtr DataType::nullable(DataTypePtr type) {
  if (type->is_nullable()) return type;
  auto t = std::make_shared<DataType>();
  t->kind = TypeKind::kUnion;
  t->branches = {primitive(TypeKind::kNull), std::move(type)};
  return t;
}

DataTypePtr DataType::array_of(DataTypePtr items) {
  auto t = std::make_shared<DataType>();
  t->kind = TypeKind::kArray;
  t->items = std::move(items);
  return t;
}

DataTypePtr DataType::map_of(DataTypePtr values) {
  auto t = std::make_shared<DataType>();
  t->kind = TypeKind::kMap;
  t->items = std::move(values);
  return t;
}

DataTypePtr DataType::decimal(int precision, int scale) {
  auto t = std::make_shared<DataType>();
  t->kind = TypeKind::kDecimal;
  t->precision = precision;
  t->scale = scale;
  return t;
}

DataTypePtr DataType::record(std::string name, std::vector<Field> fields) {
  auto t = std::make_shared<DataType>();
  t->kind = TypeKind::kRecord;
  t->name = std::move(name);
  t->fields = std::move(fields);
  return t;
}

std::string_view type_name(TypeKind kind) {
  switch (kind) {
    case TypeKind::kNull: return "null";
    case TypeKind::kBoolean: return "boolean";
    case TypeKind::kInt: return "int";
    case TypeKind::kLong: return "long";
    case TypeKind::kFloat: return "float";
    case TypeKind::kDouble: return "double";
    case TypeKind::kBytes: return "bytes";
    case TypeKind::kString: return "string";
    case TypeKind::kDecimal: return "decimal";
    case TypeKind::kDate: return "date";
    case TypeKind::kTimeMillis: return "time-millis";
    case TypeKind::kTimeMicros: return "time-micros";
    case TypeKind::kTimestampMillis: return "timestamp-millis";
    case TypeKind::kTimestampMicros: return "timestamp-micros";
    case TypeKind::kEnum: return "enum";
    case TypeKind::kFixed: return "fixed";
    case TypeKind::kArray: return "array";
    case TypeKind::kMap: return "map";
    case TypeKind::kRecord: return "record";
    case TypeKind::kUnion: return "union";
  }
  return "unknown";
}

bool same_schema(const DataType& a, const DataType& b) {
  if (&a == &b) return true;
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case TypeKind::kRecord:
      if (a.fields.size() != b.fields.size()) return false;
      for (std::size_t i = 0; i < a.fields.size(); ++i) {
        if (a.fields[i].name != b.fields[i].name || !same_schema(*a.fields[i].type, *b.fields[i].type)) {
          return false;
        }
      }
      return true;
    case TypeKind::kUnion:
      if (a.branches.size() != b.branches.size()) return false;
      for (std::size_t i = 0; i < a.branches.size(); ++i) {
        if (!same_schema(*a.branches[i], *b.branches[i])) return false;
      }
      return true;
    case TypeKind::kArray:
    case TypeKind::kMap: return same_schema(*a.items, *b.items);
    case TypeKind::kEnum: return a.symbols == b.symbols;
    case TypeKind::kFixed: return a.fixed_size == b.fixed_size;
    case TypeKind::kDecimal: return a.precision == b.precision && a.scale == b.scale;
    default: return true;
  }
}

namespace {

bool is_long(std::string_view t) {
  if (!t.empty() && t[0] == '+') t.remove_prefix(1);
  std::int64_t v = 0;
  auto r = std::from_chars(t.data(), t.data() + t.size(), v);
  return r.ec == std::errc() && r.ptr == t.data() + t.size() && !t.empty();
}

bool is_double(std::string_view t) {
  if (!t.empty() && t[0] == '+') t.remove_prefix(1);
  if (t.empty()) return false;
  // Only plain decimal notation: "inf", "nan" and hex floats stay strings.
  const char c = t[0] == '-' ? (t.size() > 1 ? t[1] : 'x') : t[0];
  if (c != '.' && (c < '0' || c > '9')) return false;
  double v = 0;
  auto r = std::from_chars(t.data(), t.data() + t.size(), v);
  return r.ec == std::errc() && r.ptr == t.data() + t.size();
}

bool is_boolean(std::string_view t) {
  return t == "true" || t == "false" || t == "TRUE" || t == "FALSE" || t == "True" || t == "False";
}

// How a single text value types by itself.
InferredKind classify(std::string_view t, const InferenceOptions& o) {
  if (o.booleans && is_boolean(t)) return InferredKind::kBoolean;
  if (o.numbers && is_long(t)) return InferredKind::kLong;
  if (o.numbers && is_double(t)) return InferredKind::kDouble;
  if (o.timestamps && t.size() == 10 && parse_date(t)) return InferredKind::kDate;
  if (o.timestamps && t.size() > 10 && parse_timestamp(t)) return InferredKind::kTimestamp;
  return InferredKind::kString;
}

}  // namespace

InferredKind widen(InferredKind current, std::string_view text, const InferenceOptions& options) {
  if (current == InferredKind::kString) return current;
  const InferredKind seen = classify(text, options);
  if (current == InferredKind::kNone || current == seen) return seen;
  const auto numeric = [](InferredKind k) { return k == InferredKind::kLong || k == InferredKind::kDouble; };
  if (numeric(current) && numeric(seen)) return InferredKind::kDouble;
  if ((current == InferredKind::kDate && seen == InferredKind::kTimestamp) ||
      (current == InferredKind::kTimestamp && seen == InferredKind::kDate)) {
    return InferredKind::kTimestamp;
  }
  return InferredKind::kString;
}

DataTypePtr inferred_type(InferredKind kind) {
  switch (kind) {
    case InferredKind::kNone: return DataType::nullable(DataType::primitive(TypeKind::kString));
    case InferredKind::kBoolean: return DataType::nullable(DataType::primitive(TypeKind::kBoolean));
    case InferredKind::kLong: return DataType::nullable(DataType::primitive(TypeKind::kLong));
    case InferredKind::kDouble: return DataType::nullable(DataType::primitive(TypeKind::kDouble));
    case InferredKind::kDate: return DataType::nullable(DataType::primitive(TypeKind::kDate));
    case InferredKind::kTimestamp: return DataType::nullable(DataType::primitive(TypeKind::kTimestampMicros));
    case InferredKind::kString: return DataType::nullable(DataType::primitive(TypeKind::kString));
  }
  return DataType::nullable(DataType::primitive(TypeKind::kString));
}

}  // namespace sluice
