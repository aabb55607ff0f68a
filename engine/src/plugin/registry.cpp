#include "plugin/registry.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

namespace sluice::internal {

void ProcessorRegistry::add(const ProcessorDefinition* definition, const std::string& origin) {
  const std::string& type = definition->spec.type;
  if (auto it = entries_.find(type); it != entries_.end()) {
    throw std::runtime_error(fmt::format("duplicate processor type '{}': defined by {} and by {}", type,
                                         it->second.origin, origin));
  }
  entries_.emplace(type, Entry{definition, origin});
}

const ProcessorDefinition* ProcessorRegistry::find(std::string_view type) const {
  auto it = entries_.find(type);
  return it == entries_.end() ? nullptr : it->second.definition;
}

std::string ProcessorRegistry::origin(std::string_view type) const {
  auto it = entries_.find(type);
  return it == entries_.end() ? std::string() : it->second.origin;
}

std::vector<const ProcessorDefinition*> ProcessorRegistry::all() const {
  std::vector<const ProcessorDefinition*> out;
  out.reserve(entries_.size());
  for (const auto& [type, entry] : entries_) out.push_back(entry.definition);
  return out;
}

namespace {
// Case-insensitive Levenshtein distance: "generateflowfile" is a typo of "GenerateFlowFile".
std::size_t edit_distance(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); };
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = up;
    }
  }
  return row[b.size()];
}
}  // namespace

std::string ProcessorRegistry::nearest(std::string_view type) const {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(3, type.size() / 3) + 1;  // beyond this, no hint
  for (const auto& [name, entry] : entries_) {
    const std::size_t d = edit_distance(type, name);
    if (d < best_distance) {
      best_distance = d;
      best = name;
    }
  }
  return best;
}

}  // namespace sluice::internal
