#include "plugin/registry.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

namespace sluice::internal {

namespace {

template <typename Map>
auto find_in(const Map& map, std::string_view type) -> decltype(map.begin()->second.definition) {
  auto it = map.find(type);
  return it == map.end() ? nullptr : it->second.definition;
}

template <typename Map>
auto all_of(const Map& map) {
  std::vector<decltype(map.begin()->second.definition)> out;
  out.reserve(map.size());
  for (const auto& [type, entry] : map) out.push_back(entry.definition);
  return out;
}

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

template <typename Map>
std::string nearest_in(const Map& map, std::string_view type) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(3, type.size() / 3) + 1;  // beyond this, no hint
  for (const auto& [name, entry] : map) {
    const std::size_t d = edit_distance(type, name);
    if (d < best_distance) {
      best_distance = d;
      best = name;
    }
  }
  return best;
}

}  // namespace

std::string ProcessorRegistry::conflict(std::string_view noun, const std::string& type,
                                        const std::string& origin) const {
  std::string_view registered_as;
  std::string registered_by;
  if (auto it = processors_.find(type); it != processors_.end()) {
    registered_as = "processor";
    registered_by = it->second.origin;
  } else if (auto s = services_.find(type); s != services_.end()) {
    registered_as = "service";
    registered_by = s->second.origin;
  } else {
    return {};
  }
  if (registered_as == noun) {
    return fmt::format("duplicate {} type '{}': defined by {} and by {}", noun, type, registered_by, origin);
  }
  return fmt::format("{} type '{}' is already a {} type: defined by {} and by {}", noun, type, registered_as,
                     registered_by, origin);
}

void ProcessorRegistry::add(const ProcessorDefinition* definition, const std::string& origin) {
  const std::string& type = definition->spec.type;
  if (auto problem = conflict("processor", type, origin); !problem.empty()) throw std::runtime_error(problem);
  processors_.emplace(type, Entry<ProcessorDefinition>{definition, origin});
}

void ProcessorRegistry::add_service(const ServiceDefinition* definition, const std::string& origin) {
  const std::string& type = definition->spec.type;
  if (auto problem = conflict("service", type, origin); !problem.empty()) throw std::runtime_error(problem);
  services_.emplace(type, Entry<ServiceDefinition>{definition, origin});
}

const ProcessorDefinition* ProcessorRegistry::find(std::string_view type) const {
  return find_in(processors_, type);
}

const ServiceDefinition* ProcessorRegistry::find_service(std::string_view type) const {
  return find_in(services_, type);
}

std::string ProcessorRegistry::origin(std::string_view type) const {
  if (auto it = processors_.find(type); it != processors_.end()) return it->second.origin;
  if (auto it = services_.find(type); it != services_.end()) return it->second.origin;
  return {};
}

std::vector<const ProcessorDefinition*> ProcessorRegistry::all() const {
  return all_of(processors_);
}

std::vector<const ServiceDefinition*> ProcessorRegistry::all_services() const {
  return all_of(services_);
}

std::string ProcessorRegistry::nearest(std::string_view type) const {
  return nearest_in(processors_, type);
}

std::string ProcessorRegistry::nearest_service(std::string_view type) const {
  return nearest_in(services_, type);
}

}  // namespace sluice::internal
