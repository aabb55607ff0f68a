// A small pool of database connections: idle ones are reused, at most `max_size` exist at once, and a
// caller waits a bounded time for one to come back.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "database_service.hpp"

namespace sluice::database {

class ConnectionPool {
 public:
  using Factory = std::function<std::unique_ptr<Connection>()>;
  ConnectionPool(Factory factory, std::size_t max_size, std::chrono::milliseconds wait);

  // An idle connection, a new one, or (all in use) the first returned within the wait; throws
  // DatabaseError (transient) when the wait ends first or a new connection cannot be made.
  ConnectionLease acquire();
  // Called by the lease: keeps a healthy connection for reuse, closes an unusable one.
  void give_back(std::unique_ptr<Connection> connection);
  // Closes the idle connections.
  void clear();

 private:
  Factory factory_;
  std::size_t max_size_;
  std::chrono::milliseconds wait_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t open_ = 0;  // idle + leased
};

}  // namespace sluice::database
