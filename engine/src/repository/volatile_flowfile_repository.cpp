#include "repository/volatile_flowfile_repository.hpp"

#include <mutex>

#include "repository/content_repository.hpp"

namespace sluice::internal {

namespace {
class VolatileFlowFileRepository final : public FlowFileRepository {
 public:
  RecoveryStats recover(ContentRepository& content,
                        const std::function<void(std::string_view, FlowFileRecord&&)>& /*sink*/,
                        const StateSink& /*state*/) override {
    content.finish_recovery();
    std::lock_guard lock(mu_);
    if (sink_ != nullptr) next_event_id_ = sink_->indexed_through() + 1;
    return {};
  }
  // Nothing is logged; events go straight to the store, ids assigned in commit order.
  void commit(const std::vector<RepositoryChange>& /*changes*/,
              const std::vector<ResourceClaim*>& /*content_resources*/,
              std::span<const StateChange> /*state*/, const ProvenanceEvents* events) override {
    if (events == nullptr || events->count == 0) return;
    std::lock_guard lock(mu_);
    const std::uint64_t first = next_event_id_;
    next_event_id_ += events->count;
    if (sink_ != nullptr) sink_->index(first, events->count, events->body);
  }
  void set_provenance_sink(ProvenanceSink* sink) override { sink_ = sink; }
  [[nodiscard]] std::uint64_t log_bytes_since_checkpoint() const override { return 0; }
  void begin_checkpoint() override {}
  void write_checkpoint(SnapshotSource& /*source*/) override {}
  void close() override {}

 private:
  std::mutex mu_;
  ProvenanceSink* sink_ = nullptr;
  std::uint64_t next_event_id_ = 1;
};
}  // namespace

std::unique_ptr<FlowFileRepository> make_volatile_flowfile_repository() {
  return std::make_unique<VolatileFlowFileRepository>();
}

}  // namespace sluice::internal
