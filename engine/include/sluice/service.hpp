// Controller services: shared, configured components that processors use through an interface (a record
// reader or writer, a database connection pool, an SSL context). A flow declares them once under `services:`
// and processors name them by id in properties of kind kService:
//
//   services:
//     meter_csv: { type: CSVReader, properties: { header: true } }
//   processors:
//     convert: { type: ConvertRecord, properties: { reader: meter_csv, … } }
//
// The engine enables every service (on_enable) before it schedules any processor and disables them after
// the last processor stopped. An enabled service is used from many threads at once: keep it thread-safe.
#pragma once

#include <memory>

#include "sluice/context.hpp"
#include "sluice/spec.hpp"

namespace sluice {

class ServiceContext : public ComponentContext {
 public:
  [[nodiscard]] virtual const ServiceSpec& spec() const = 0;
};

class ControllerService {
 public:
  virtual ~ControllerService() = default;
  // Properties are resolved and validated; open resources here. Throw ProcessorError to refuse to start.
  virtual void on_enable(ServiceContext& /*context*/) {}
  virtual void on_disable() {}
};

struct ServiceDefinition {
  ServiceSpec spec;
  std::unique_ptr<ControllerService> (*create)() = nullptr;
};

}  // namespace sluice
