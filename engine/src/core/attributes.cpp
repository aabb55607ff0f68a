#include "core/attributes.hpp"

#include <algorithm>

namespace sluice::internal {

namespace {
template <typename Entries>
auto lower_bound_by_name(Entries& entries, std::string_view name) {
  return std::lower_bound(entries.begin(), entries.end(), name,
                          [](const AttributeSet::Entry& e, std::string_view n) { return e.first < n; });
}
}  // namespace

std::optional<std::string_view> AttributeSet::find(std::string_view name) const {
  auto it = lower_bound_by_name(entries_, name);
  if (it != entries_.end() && it->first == name) return std::string_view(it->second);
  return std::nullopt;
}

AttributeSet& Attributes::mutable_set() {
  if (!set_) {
    set_ = make_ref<AttributeSet>();
  } else if (!set_.unique()) {
    set_ = make_ref<AttributeSet>(set_->entries_);
  }
  return *set_;
}

void Attributes::put(std::string_view name, std::string_view value) {
  if (auto existing = find(name); existing && *existing == value) return;  // keep sharing
  auto& entries = mutable_set().entries_;
  auto it = lower_bound_by_name(entries, name);
  if (it != entries.end() && it->first == name) {
    it->second.assign(value);
  } else {
    entries.emplace(it, std::string(name), std::string(value));
  }
}

bool Attributes::remove(std::string_view name) {
  if (!find(name)) return false;
  auto& entries = mutable_set().entries_;
  entries.erase(lower_bound_by_name(entries, name));
  return true;
}

const std::vector<AttributeSet::Entry>& Attributes::entries() const {
  static const std::vector<AttributeSet::Entry> kEmpty;
  return set_ ? set_->entries() : kEmpty;
}

std::size_t Attributes::approximate_bytes() const {
  std::size_t bytes = 0;
  for (const auto& [k, v] : entries()) bytes += k.size() + v.size() + 2 * sizeof(std::string);
  return bytes;
}

}  // namespace sluice::internal
