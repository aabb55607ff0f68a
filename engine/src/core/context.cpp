// The typed property getters of the SDK's ProcessContext. Values were validated against the spec before
// the processor was scheduled, so a failure here means a processor asked for a property it did not declare.
#include <stdexcept>

#include "sluice/context.hpp"
#include "sluice/units.hpp"

namespace sluice {

namespace {
template <typename T>
T required(std::optional<T> value, std::string_view name, const char* kind) {
  if (!value) throw std::invalid_argument(std::string("property '") + std::string(name) + "' is not a valid " + kind);
  return *value;
}
}  // namespace

std::string ProcessContext::string_property(std::string_view name) const { return property(name).value_or(""); }

std::int64_t ProcessContext::int_property(std::string_view name) const {
  return required(parse_int(property(name).value_or("")), name, "integer");
}

bool ProcessContext::bool_property(std::string_view name) const {
  return required(parse_bool(property(name).value_or("")), name, "boolean");
}

std::uint64_t ProcessContext::size_property(std::string_view name) const {
  return required(parse_size(property(name).value_or("")), name, "size");
}

std::chrono::nanoseconds ProcessContext::duration_property(std::string_view name) const {
  return required(parse_duration(property(name).value_or("")), name, "duration");
}

}  // namespace sluice
