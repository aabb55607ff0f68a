// The interface "DatabaseConnection" the database processors ask their `connection` service for: pooled
// connections to one database, whichever driver serves it.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "database_driver.hpp"
#include "sluice/service.hpp"

namespace sluice::database {

inline constexpr std::string_view kDatabaseInterface = "DatabaseConnection";

class ConnectionPool;

// A connection borrowed from the pool for one unit of work; returned when the lease ends, or closed when
// it turned out unusable.
class ConnectionLease {
 public:
  ConnectionLease(ConnectionPool& pool, std::unique_ptr<Connection> connection)
      : pool_(&pool), connection_(std::move(connection)) {}
  ~ConnectionLease();
  ConnectionLease(ConnectionLease&& other) noexcept = default;
  ConnectionLease& operator=(ConnectionLease&&) = delete;
  ConnectionLease(const ConnectionLease&) = delete;
  ConnectionLease& operator=(const ConnectionLease&) = delete;

  Connection& operator*() const { return *connection_; }
  Connection* operator->() const { return connection_.get(); }

 private:
  ConnectionPool* pool_;
  std::unique_ptr<Connection> connection_;
};

class DatabaseService : public ControllerService {
 public:
  // A pooled connection; throws DatabaseError (transient) when none can be had in time.
  [[nodiscard]] virtual ConnectionLease acquire() = 0;
  [[nodiscard]] virtual Dialect dialect() const = 0;
  // Where the data goes, for provenance: postgresql://host:port/database or sqlite:///path (no credentials).
  [[nodiscard]] virtual const std::string& transit_uri() const = 0;
};

}  // namespace sluice::database
