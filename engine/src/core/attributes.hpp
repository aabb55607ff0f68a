// Immutable, shared attribute sets. A child or clone shares its parent's set until one side changes it
// (copy-on-write), so unchanged attributes cost one pointer per FlowFile.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/ref_counted.hpp"

namespace sluice::internal {

class AttributeSet : public RefCounted {
 public:
  using Entry = std::pair<std::string, std::string>;

  AttributeSet() = default;
  explicit AttributeSet(std::vector<Entry> sorted_entries) : entries_(std::move(sorted_entries)) {}

  [[nodiscard]] std::optional<std::string_view> find(std::string_view name) const;
  [[nodiscard]] const std::vector<Entry>& entries() const { return entries_; }
  [[nodiscard]] std::size_t size() const { return entries_.size(); }

 private:
  friend class Attributes;
  std::vector<Entry> entries_;  // sorted by name; small, so a flat sorted vector beats a map
};

// A FlowFile's attributes: a handle to a shared AttributeSet, copied on first write.
class Attributes {
 public:
  Attributes() = default;
  explicit Attributes(Ref<AttributeSet> set) : set_(std::move(set)) {}

  [[nodiscard]] std::optional<std::string_view> find(std::string_view name) const {
    return set_ ? set_->find(name) : std::nullopt;
  }
  void put(std::string_view name, std::string_view value);
  bool remove(std::string_view name);
  [[nodiscard]] const std::vector<AttributeSet::Entry>& entries() const;
  [[nodiscard]] std::size_t size() const { return set_ ? set_->size() : 0; }
  [[nodiscard]] bool shares_with(const Attributes& other) const { return set_ == other.set_; }
  // The shared set this handle points at (null when empty): equal identities mean equal attributes.
  [[nodiscard]] const void* identity() const { return set_.get(); }
  [[nodiscard]] std::size_t approximate_bytes() const;

 private:
  AttributeSet& mutable_set();
  Ref<AttributeSet> set_;
};

}  // namespace sluice::internal
