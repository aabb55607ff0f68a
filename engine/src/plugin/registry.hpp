// The typed registry of processor and controller service definitions. Processor and service types share
// one namespace: a flow names either by its type, so a duplicate type is a hard error naming both origins.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/processor.hpp"
#include "sluice/service.hpp"

namespace sluice::internal {

class ProcessorRegistry {
 public:
  // Throws std::runtime_error("duplicate processor type 'X': defined by A and by B") on a clash with a
  // registered processor or service type.
  void add(const ProcessorDefinition* definition, const std::string& origin);
  void add_service(const ServiceDefinition* definition, const std::string& origin);

  [[nodiscard]] const ProcessorDefinition* find(std::string_view type) const;
  [[nodiscard]] const ServiceDefinition* find_service(std::string_view type) const;
  // Where a processor or service type came from; empty when unknown.
  [[nodiscard]] std::string origin(std::string_view type) const;
  // Sorted by type.
  [[nodiscard]] std::vector<const ProcessorDefinition*> all() const;
  [[nodiscard]] std::vector<const ServiceDefinition*> all_services() const;
  // The registered processor (service) type closest to `type`, for "did you mean" hints; empty if none
  // is close.
  [[nodiscard]] std::string nearest(std::string_view type) const;
  [[nodiscard]] std::string nearest_service(std::string_view type) const;

  // Why `type` cannot be registered as a `noun` ("processor" or "service") from `origin`, naming both
  // origins; empty when the type is free. add() and add_service() throw this message.
  [[nodiscard]] std::string conflict(std::string_view noun, const std::string& type,
                                     const std::string& origin) const;

 private:
  template <typename Definition>
  struct Entry {
    const Definition* definition;
    std::string origin;
  };
  std::map<std::string, Entry<ProcessorDefinition>, std::less<>> processors_;
  std::map<std::string, Entry<ServiceDefinition>, std::less<>> services_;
};

}  // namespace sluice::internal
