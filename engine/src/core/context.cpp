// The typed property getters of the SDK's ComponentContext. Values were validated against the spec before
// the processor was scheduled, so a failure here means a processor asked for a property it did not declare.
#include "sluice/context.hpp"

#include <stdexcept>

#include "sluice/service.hpp"
#include "sluice/units.hpp"

namespace sluice {

namespace {
template <typename T>
T required(std::optional<T> value, std::string_view name, const char* kind) {
  if (!value)
    throw std::invalid_argument(std::string("property '") + std::string(name) + "' is not a valid " + kind);
  return *value;
}
}  // namespace

std::string ComponentContext::string_property(std::string_view name) const {
  return property(name).value_or("");
}

std::int64_t ComponentContext::int_property(std::string_view name) const {
  return required(parse_int(property(name).value_or("")), name, "integer");
}

bool ComponentContext::bool_property(std::string_view name) const {
  return required(parse_bool(property(name).value_or("")), name, "boolean");
}

std::uint64_t ComponentContext::size_property(std::string_view name) const {
  return required(parse_size(property(name).value_or("")), name, "size");
}

std::chrono::nanoseconds ComponentContext::duration_property(std::string_view name) const {
  return required(parse_duration(property(name).value_or("")), name, "duration");
}

std::string ComponentContext::service_type_error(std::string_view property_name) const {
  return "service named by property '" + std::string(property_name) + "' of '" + id() +
         "' does not provide the interface this component needs";
}

}  // namespace sluice
