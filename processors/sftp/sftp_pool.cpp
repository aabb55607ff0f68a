#include "sftp_pool.hpp"

#include <utility>

namespace sluice::sftp {

SftpPool::Lease::~Lease() {
  if (connection_ && pool_ != nullptr) pool_->give_back(std::move(connection_), released_ms_);
}

SftpPool::Lease SftpPool::acquire(std::int64_t now_ms) {
  while (true) {
    Idle candidate;
    {
      const std::lock_guard lock(mutex_);
      if (idle_.empty()) break;
      candidate = std::move(idle_.back());
      idle_.pop_back();
    }
    const std::int64_t idle_ms = now_ms - candidate.since_ms;
    if (idle_ms >= settings_.idle_timeout.count()) continue;  // dropped: closed by its destructor
    if (idle_ms >= settings_.keep_alive_interval.count() && !candidate.connection->alive()) continue;
    Lease lease(*this, std::move(candidate.connection));
    lease.release_at(now_ms);
    return lease;
  }
  std::unique_ptr<SftpConnection> fresh = opener_();
  {
    const std::lock_guard lock(mutex_);
    ++opened_;
  }
  Lease lease(*this, std::move(fresh));
  lease.release_at(now_ms);
  return lease;
}

void SftpPool::give_back(std::unique_ptr<SftpConnection> connection, std::int64_t now_ms) {
  const std::lock_guard lock(mutex_);
  idle_.push_back({std::move(connection), now_ms});
}

void SftpPool::close_all() {
  std::vector<Idle> closing;
  {
    const std::lock_guard lock(mutex_);
    closing.swap(idle_);
  }
}

std::size_t SftpPool::idle_count() const {
  const std::lock_guard lock(mutex_);
  return idle_.size();
}

std::uint64_t SftpPool::opened() const {
  const std::lock_guard lock(mutex_);
  return opened_;
}

}  // namespace sluice::sftp
