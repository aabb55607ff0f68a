// Record paths: `/meter_id`, `/reading/kwh`, `/readings[0]`, `/tags['site']`. A path is compiled once and
// applied to many records; field names are looked up in each record's own schema, so one path serves
// records of different schemas.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/record_value.hpp"

namespace sluice {

class RecordPath {
 public:
  // Throws std::invalid_argument ("record path '/a[': unterminated index at column 4").
  static RecordPath compile(std::string_view text);

  // The value at the path, or nullptr when a field, index or key along it does not exist.
  [[nodiscard]] const Value* get(const Record& record) const;
  // The type the path leads to in `schema` (through unions' non-null branch), or nullptr.
  [[nodiscard]] const DataType* type_in(const DataType& schema) const;
  // Replaces the value at the path. Nested records and arrays along it are copied into the record's arena
  // first, so values shared with the reader's buffer stay untouched. False when the path does not exist.
  bool set(Record& record, const Value& value) const;

  [[nodiscard]] const std::string& text() const { return text_; }
  // The top-level field name when the path is a single field (`/kwh`), else empty.
  [[nodiscard]] std::string_view top_field() const;
  [[nodiscard]] std::size_t depth() const { return segments_.size(); }

 private:
  struct Segment {
    enum class Kind : std::uint8_t { kField, kIndex, kKey } kind = Kind::kField;
    std::string name;  // field name or map key
    std::size_t index = 0;
  };
  std::string text_;
  std::vector<Segment> segments_;
};

}  // namespace sluice
