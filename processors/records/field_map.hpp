// How a writer finds the fields of its own schema in records of another one (UpdateRecord's output, a
// writer configured with its schema): by name, worked out once per record schema, since a reader hands out
// every record of a FlowFile with the same schema.
#pragma once

#include <cstddef>
#include <vector>

#include "sluice/record.hpp"

namespace sluice::records {

class FieldMap {
 public:
  // Maps the fields of `target` into records of `record`'s schema (no work when already mapped for it).
  void bind(const DataType& target, const Record& record) {
    if (bound_ == &record.schema()) return;
    bound_ = &record.schema();
    indices_.clear();
    for (const auto& f : target.fields) indices_.push_back(record.schema().field_index(f.name));
  }
  [[nodiscard]] std::size_t size() const { return indices_.size(); }
  [[nodiscard]] bool has(std::size_t i) const { return indices_[i] >= 0; }
  // The record's value for target field `i`; null when the record has no such field.
  [[nodiscard]] Value get(const Record& record, std::size_t i) const {
    return has(i) ? record[static_cast<std::size_t>(indices_[i])] : Value();
  }

 private:
  const DataType* bound_ = nullptr;
  std::vector<int> indices_;  // target field → record field, -1 when absent
};

}  // namespace sluice::records
