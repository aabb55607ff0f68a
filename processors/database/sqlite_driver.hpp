// SQLite through its C library.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "database_driver.hpp"

namespace sluice::database {

// Opens an existing database file for reading and writing (a wrong path is an error, not a new empty
// database); waits up to `busy_timeout` for a lock another connection holds.
std::unique_ptr<Connection> connect_sqlite(const std::string& path, std::chrono::milliseconds busy_timeout);

}  // namespace sluice::database
