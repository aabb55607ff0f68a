#include "flow/state_store.hpp"

#include <mutex>

namespace sluice::internal {

std::optional<std::string> StateStore::get(std::string_view component, std::string_view key) const {
  std::shared_lock lock(mutex_);
  auto c = components_.find(component);
  if (c == components_.end()) return std::nullopt;
  auto e = c->second.find(key);
  if (e == c->second.end()) return std::nullopt;
  return e->second;
}

void StateStore::apply_locked(const StateChange& change) {
  if (change.remove) {
    auto c = components_.find(change.component);
    if (c == components_.end()) return;
    if (auto e = c->second.find(change.key); e != c->second.end()) c->second.erase(e);
    if (c->second.empty()) components_.erase(c);
    return;
  }
  auto c = components_.find(change.component);
  if (c == components_.end()) c = components_.emplace(std::string(change.component), Entries{}).first;
  auto e = c->second.find(change.key);
  if (e == c->second.end()) {
    c->second.emplace(std::string(change.key), std::string(change.value));
  } else {
    e->second.assign(change.value);
  }
}

void StateStore::apply(const StateChange& change) {
  std::unique_lock lock(mutex_);
  apply_locked(change);
}

void StateStore::apply(std::span<const StateChange> changes) {
  if (changes.empty()) return;
  std::unique_lock lock(mutex_);
  for (const StateChange& c : changes) apply_locked(c);
}

std::vector<std::pair<std::string, std::string>> StateStore::entries(std::string_view component) const {
  std::shared_lock lock(mutex_);
  std::vector<std::pair<std::string, std::string>> out;
  auto c = components_.find(component);
  if (c == components_.end()) return out;
  out.reserve(c->second.size());
  for (const auto& [k, v] : c->second) out.emplace_back(k, v);
  return out;
}

std::map<std::string, StateStore::Entries, std::less<>> StateStore::copy() const {
  std::shared_lock lock(mutex_);
  return components_;
}

std::size_t StateStore::size() const {
  std::shared_lock lock(mutex_);
  std::size_t n = 0;
  for (const auto& [component, entries] : components_) n += entries.size();
  return n;
}

}  // namespace sluice::internal
