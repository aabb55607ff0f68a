// Property specs the database processors share: the connection service and the record services.
#pragma once

#include <string>

#include "database_service.hpp"
#include "sluice/record_io.hpp"
#include "spec_helpers.hpp"

namespace sluice::database {

inline PropertySpec service_property(std::string name, std::string_view interface, std::string description) {
  PropertySpec p =
      standard::required_property(std::move(name), PropertyKind::kService, std::move(description));
  p.service = std::string(interface);
  return p;
}

inline PropertySpec connection_property() {
  return service_property("connection", kDatabaseInterface, "The DatabaseConnection service.");
}

inline PropertySpec rows_writer_property() {
  return service_property("writer", kRecordWriterInterface, "Writes the rows as records.");
}

inline PropertySpec max_rows_property() {
  return standard::optional_property("max_rows_per_flowfile", PropertyKind::kInt, "0",
                                     "Rows per FlowFile at most (0: no limit).");
}

}  // namespace sluice::database
