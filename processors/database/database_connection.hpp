// The DatabaseConnection controller service: a pool of connections to PostgreSQL or SQLite.
#pragma once

#include "sluice/service.hpp"

namespace sluice::database {

const ServiceDefinition& database_connection_definition();

}  // namespace sluice::database
