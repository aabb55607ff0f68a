#include "repository/volatile_flowfile_repository.hpp"

#include "repository/content_repository.hpp"

namespace sluice::internal {

namespace {
class VolatileFlowFileRepository final : public FlowFileRepository {
 public:
  RecoveryStats recover(ContentRepository& content,
                        const std::function<void(std::string_view, FlowFileRecord&&)>& /*sink*/,
                        const StateSink& /*state*/) override {
    content.finish_recovery();
    return {};
  }
  void commit(const std::vector<RepositoryChange>& /*changes*/,
              const std::vector<ResourceClaim*>& /*content_resources*/,
              std::span<const StateChange> /*state*/) override {}
  [[nodiscard]] std::uint64_t log_bytes_since_checkpoint() const override { return 0; }
  void begin_checkpoint() override {}
  void write_checkpoint(SnapshotSource& /*source*/) override {}
  void close() override {}
};
}  // namespace

std::unique_ptr<FlowFileRepository> make_volatile_flowfile_repository() {
  return std::make_unique<VolatileFlowFileRepository>();
}

}  // namespace sluice::internal
