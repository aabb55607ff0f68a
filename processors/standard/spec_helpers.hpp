// Short constructors for property specs, so each processor's spec reads as a table. (Designated
// initializers would do, but g++ 12 warns about every member they leave at its default.)
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sluice/spec.hpp"

namespace sluice::standard {

inline PropertySpec optional_property(std::string name, PropertyKind kind,
                                      std::optional<std::string> default_value, std::string description) {
  PropertySpec p;
  p.name = std::move(name);
  p.kind = kind;
  p.default_value = std::move(default_value);
  p.description = std::move(description);
  return p;
}

inline PropertySpec required_property(std::string name, PropertyKind kind, std::string description) {
  PropertySpec p = optional_property(std::move(name), kind, std::nullopt, std::move(description));
  p.required = true;
  return p;
}

inline PropertySpec enum_property(std::string name, std::string default_value,
                                  std::vector<AllowedValue> allowed, std::string description) {
  PropertySpec p = optional_property(std::move(name), PropertyKind::kEnum, std::move(default_value),
                                     std::move(description));
  p.allowed_values = std::move(allowed);
  return p;
}

// An optional secret (password, token, passphrase): masked wherever property values are shown.
inline PropertySpec sensitive_property(std::string name, std::string description) {
  PropertySpec p =
      optional_property(std::move(name), PropertyKind::kString, std::nullopt, std::move(description));
  p.sensitive = true;
  return p;
}

}  // namespace sluice::standard
