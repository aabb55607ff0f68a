#include "connection_pool.hpp"

#include <utility>

namespace sluice::database {

ConnectionLease::~ConnectionLease() {
  if (connection_) pool_->give_back(std::move(connection_));
}

ConnectionPool::ConnectionPool(Factory factory, std::size_t max_size, std::chrono::milliseconds wait)
    : factory_(std::move(factory)), max_size_(max_size == 0 ? 1 : max_size), wait_(wait) {}

ConnectionLease ConnectionPool::acquire() {
  std::unique_lock lock(mutex_);
  if (!returned_.wait_for(lock, wait_, [&] { return !idle_.empty() || open_ < max_size_; })) {
    throw DatabaseError(
        "no database connection free within the wait (all " + std::to_string(max_size_) + " in use)", true);
  }
  if (!idle_.empty()) {
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    return {*this, std::move(connection)};
  }
  ++open_;
  lock.unlock();
  try {
    return {*this, factory_()};
  } catch (...) {
    const std::lock_guard relock(mutex_);
    --open_;
    returned_.notify_one();
    throw;
  }
}

void ConnectionPool::give_back(std::unique_ptr<Connection> connection) {
  std::unique_ptr<Connection> closing;
  {
    const std::lock_guard lock(mutex_);
    if (connection->healthy()) {
      idle_.push_back(std::move(connection));
    } else {
      closing = std::move(connection);
      --open_;
    }
  }
  returned_.notify_one();
}

void ConnectionPool::clear() {
  std::vector<std::unique_ptr<Connection>> closing;
  const std::lock_guard lock(mutex_);
  open_ -= idle_.size();
  closing.swap(idle_);
}

}  // namespace sluice::database
