// The typed registry of processor definitions. A duplicate type is a hard error naming both origins.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/processor.hpp"

namespace sluice::internal {

class ProcessorRegistry {
 public:
  // Throws std::runtime_error("duplicate processor type 'X': defined by A and B") on a clash.
  void add(const ProcessorDefinition* definition, const std::string& origin);
  [[nodiscard]] const ProcessorDefinition* find(std::string_view type) const;
  [[nodiscard]] std::string origin(std::string_view type) const;
  // Sorted by type.
  [[nodiscard]] std::vector<const ProcessorDefinition*> all() const;
  // The registered type closest to `type` (edit distance), for "did you mean" hints; empty if none close.
  [[nodiscard]] std::string nearest(std::string_view type) const;

 private:
  struct Entry {
    const ProcessorDefinition* definition;
    std::string origin;
  };
  std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace sluice::internal
