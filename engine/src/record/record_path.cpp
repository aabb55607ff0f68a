// Record paths: compiled into segments; field names are looked up in each record's schema.
#include "sluice/record_path.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace sluice {

namespace {

[[noreturn]] void syntax(std::string_view text, std::size_t pos, const std::string& what) {
  throw std::invalid_argument("record path '" + std::string(text) + "': " + what + " at column " +
                              std::to_string(pos + 1));
}

// The record type a value of `type` is, looking through nullable unions.
const DataType* record_type(const DataType* type) {
  if (type == nullptr) return nullptr;
  if (type->kind == TypeKind::kUnion) {
    for (const auto& b : type->branches) {
      if (b->kind == TypeKind::kRecord) return b.get();
    }
    return nullptr;
  }
  return type->kind == TypeKind::kRecord ? type : nullptr;
}

const DataType* element_type(const DataType* type, TypeKind kind) {
  if (type == nullptr) return nullptr;
  if (type->kind == TypeKind::kUnion) {
    for (const auto& b : type->branches) {
      if (b->kind == kind) return b->items.get();
    }
    return nullptr;
  }
  return type->kind == kind ? type->items.get() : nullptr;
}

}  // namespace

RecordPath RecordPath::compile(std::string_view text) {
  RecordPath path;
  path.text_ = std::string(text);
  std::size_t pos = 0;
  if (text.empty() || text[0] != '/') syntax(text, 0, "a path starts with '/'");
  while (pos < text.size()) {
    if (text[pos] == '/') {
      ++pos;
      const std::size_t start = pos;
      while (pos < text.size() && text[pos] != '/' && text[pos] != '[') ++pos;
      if (pos == start) syntax(text, pos, "empty field name");
      path.segments_.push_back(
          Segment{Segment::Kind::kField, std::string(text.substr(start, pos - start)), 0});
    } else if (text[pos] == '[') {
      ++pos;
      if (pos < text.size() && (text[pos] == '\'' || text[pos] == '"')) {
        const char quote = text[pos++];
        const std::size_t end = text.find(quote, pos);
        if (end == std::string_view::npos) syntax(text, pos, "unterminated key");
        if (end + 1 >= text.size() || text[end + 1] != ']') syntax(text, end + 1, "expected ']'");
        path.segments_.push_back(Segment{Segment::Kind::kKey, std::string(text.substr(pos, end - pos)), 0});
        pos = end + 2;
      } else {
        const std::size_t end = text.find(']', pos);
        if (end == std::string_view::npos) syntax(text, pos, "unterminated index");
        std::size_t index = 0;
        if (end == pos) syntax(text, pos, "empty index");
        for (std::size_t i = pos; i < end; ++i) {
          if (text[i] < '0' || text[i] > '9') syntax(text, i, "an index must be a non-negative number");
          index = index * 10 + static_cast<std::size_t>(text[i] - '0');
        }
        path.segments_.push_back(Segment{Segment::Kind::kIndex, {}, index});
        pos = end + 1;
      }
    } else {
      syntax(text, pos, "expected '/' or '['");
    }
  }
  return path;
}

std::string_view RecordPath::top_field() const {
  if (segments_.size() == 1 && segments_[0].kind == Segment::Kind::kField) return segments_[0].name;
  return {};
}

const Value* RecordPath::get(const Record& record) const {
  if (segments_.empty() || segments_[0].kind != Segment::Kind::kField || !record.schema_ptr()) return nullptr;
  const int top = record.schema().field_index(segments_[0].name);
  if (top < 0) return nullptr;
  const Value* v = &record[static_cast<std::size_t>(top)];
  const DataType* type = record.schema().fields[static_cast<std::size_t>(top)].type.get();
  for (std::size_t i = 1; i < segments_.size(); ++i) {
    const Segment& s = segments_[i];
    switch (s.kind) {
      case Segment::Kind::kField: {
        const DataType* rec = record_type(type);
        if (rec == nullptr || v->kind() != ValueKind::kRecord) return nullptr;
        const int fi = rec->field_index(s.name);
        if (fi < 0 || static_cast<std::size_t>(fi) >= v->items().size()) return nullptr;
        v = &v->items()[static_cast<std::size_t>(fi)];
        type = rec->fields[static_cast<std::size_t>(fi)].type.get();
        break;
      }
      case Segment::Kind::kIndex:
        if (v->kind() != ValueKind::kArray || s.index >= v->items().size()) return nullptr;
        v = &v->items()[s.index];
        type = element_type(type, TypeKind::kArray);
        break;
      case Segment::Kind::kKey: {
        if (v->kind() != ValueKind::kMap) return nullptr;
        const auto entries = v->entries();
        auto it =
            std::find_if(entries.begin(), entries.end(), [&](const MapEntry& e) { return e.key == s.name; });
        if (it == entries.end()) return nullptr;
        v = &it->value;
        type = element_type(type, TypeKind::kMap);
        break;
      }
    }
  }
  return v;
}

const DataType* RecordPath::type_in(const DataType& schema) const {
  const DataType* type = &schema;
  for (const Segment& s : segments_) {
    switch (s.kind) {
      case Segment::Kind::kField: {
        const DataType* rec = record_type(type);
        if (rec == nullptr) return nullptr;
        const int fi = rec->field_index(s.name);
        if (fi < 0) return nullptr;
        type = rec->fields[static_cast<std::size_t>(fi)].type.get();
        break;
      }
      case Segment::Kind::kIndex: type = element_type(type, TypeKind::kArray); break;
      case Segment::Kind::kKey: type = element_type(type, TypeKind::kMap); break;
    }
    if (type == nullptr) return nullptr;
  }
  return type;
}

bool RecordPath::set(Record& record, const Value& value) const {
  if (segments_.empty() || segments_[0].kind != Segment::Kind::kField || !record.schema_ptr()) return false;
  const int top = record.schema().field_index(segments_[0].name);
  if (top < 0) return false;
  // Walk down, copying each container on the way into the arena so that the change touches nothing shared.
  Value* slot = &record[static_cast<std::size_t>(top)];
  const DataType* type = record.schema().fields[static_cast<std::size_t>(top)].type.get();
  RecordArena& arena = record.arena();
  for (std::size_t i = 1; i < segments_.size(); ++i) {
    const Segment& s = segments_[i];
    if (s.kind == Segment::Kind::kKey) {
      if (slot->kind() != ValueKind::kMap) return false;
      const auto entries = slot->entries();
      MapEntry* copy = arena.entries(entries.size());
      std::copy(entries.begin(), entries.end(), copy);
      auto* it =
          std::find_if(copy, copy + entries.size(), [&](const MapEntry& e) { return e.key == s.name; });
      if (it == copy + entries.size()) return false;
      *slot = Value::map(copy, entries.size());
      slot = &it->value;
      type = element_type(type, TypeKind::kMap);
      continue;
    }
    const bool is_field = s.kind == Segment::Kind::kField;
    const ValueKind want = is_field ? ValueKind::kRecord : ValueKind::kArray;
    if (slot->kind() != want) return false;
    std::size_t index = s.index;
    const DataType* next_type = nullptr;
    if (is_field) {
      const DataType* rec = record_type(type);
      if (rec == nullptr) return false;
      const int fi = rec->field_index(s.name);
      if (fi < 0) return false;
      index = static_cast<std::size_t>(fi);
      next_type = rec->fields[index].type.get();
    } else {
      next_type = element_type(type, TypeKind::kArray);
    }
    const auto items = slot->items();
    if (index >= items.size()) return false;
    Value* copy = arena.values(items.size());
    std::copy(items.begin(), items.end(), copy);
    *slot = is_field ? Value::record(copy, items.size()) : Value::array(copy, items.size());
    slot = copy + index;
    type = next_type;
  }
  *slot = value;
  return true;
}

}  // namespace sluice
