// The connections of one processor to one server: idle ones are kept for reuse, probed before reuse when
// they were idle long enough that a firewall or the server may have dropped them, closed when idle too
// long, and all closed when the processor stops.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "sftp_connection.hpp"

namespace sluice::sftp {

struct PoolSettings {
  // Probe an idle connection with a round trip before reusing it after this long.
  std::chrono::milliseconds keep_alive_interval{10'000};
  // Close a connection idle for this long instead of reusing it.
  std::chrono::milliseconds idle_timeout{60'000};
};

class SftpPool {
 public:
  using Opener = std::function<std::unique_ptr<SftpConnection>()>;

  SftpPool(Opener opener, PoolSettings settings) : opener_(std::move(opener)), settings_(settings) {}

  // A connection borrowed for one trigger; returned to the pool on destruction unless discarded (after a
  // connection error, so the next trigger reconnects).
  class Lease {
   public:
    Lease(SftpPool& pool, std::unique_ptr<SftpConnection> connection)
        : pool_(&pool), connection_(std::move(connection)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();

    SftpConnection& operator*() const { return *connection_; }
    SftpConnection* operator->() const { return connection_.get(); }
    void discard() { connection_.reset(); }
    void release_at(std::int64_t now_ms) { released_ms_ = now_ms; }

   private:
    SftpPool* pool_;
    std::unique_ptr<SftpConnection> connection_;
    std::int64_t released_ms_ = 0;
  };

  // An idle connection (probed when idle past keep_alive_interval) or a new one; throws SftpError.
  Lease acquire(std::int64_t now_ms);
  void close_all();
  [[nodiscard]] std::size_t idle_count() const;
  [[nodiscard]] std::uint64_t opened() const;  // connections opened so far (reuse shows as a low count)

 private:
  struct Idle {
    std::unique_ptr<SftpConnection> connection;
    std::int64_t since_ms = 0;
  };
  void give_back(std::unique_ptr<SftpConnection> connection, std::int64_t now_ms);

  Opener opener_;
  PoolSettings settings_;
  mutable std::mutex mutex_;
  std::vector<Idle> idle_;  // most recently used last
  std::uint64_t opened_ = 0;
};

}  // namespace sluice::sftp
