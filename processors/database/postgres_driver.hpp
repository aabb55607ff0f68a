// PostgreSQL through libpq.
#pragma once

#include <memory>
#include <string>

#include "database_driver.hpp"

namespace sluice::database {

struct PostgresSettings {
  std::string url;  // a libpq URI or key=value string; the fields below override what it says
  std::string host;
  std::string port;
  std::string database;
  std::string user;
  std::string password;  // never logged, never part of an error message
  std::string sslmode;   // disable | allow | prefer | require | verify-ca | verify-full
  std::string ssl_root_cert;
  std::string connect_timeout_s;
};

// Opens a connection; throws DatabaseError (transient) when the server cannot be reached.
std::unique_ptr<Connection> connect_postgres(const PostgresSettings& settings);

}  // namespace sluice::database
