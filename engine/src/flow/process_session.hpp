// The engine's ProcessSession. FlowFiles taken or created live in the session's entries until commit;
// originals are kept for rollback and for checkpoints taken while the session is open.
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "flow/flow_runtime.hpp"
#include "flow/processor_node.hpp"
#include "sluice/session.hpp"

namespace sluice::internal {

class ProcessSessionImpl final : public ProcessSession {
 public:
  ProcessSessionImpl(ProcessorNode& node, FlowRuntime& runtime);
  ~ProcessSessionImpl() override;
  ProcessSessionImpl(const ProcessSessionImpl&) = delete;
  ProcessSessionImpl& operator=(const ProcessSessionImpl&) = delete;

  FlowFile get() override;
  std::vector<FlowFile> get(std::size_t max) override;
  FlowFile create() override;
  FlowFile create(const FlowFile& parent) override;
  FlowFile create_merged(std::span<const FlowFile> parents) override;
  FlowFile clone(const FlowFile& original) override;
  void read(const FlowFile& ff, const std::function<void(InputStream&)>& reader) override;
  void write(FlowFile& ff, const std::function<void(OutputStream&)>& writer) override;
  void append(FlowFile& ff, const std::function<void(OutputStream&)>& writer) override;
  void import_from(const std::filesystem::path& source, FlowFile& ff) override;
  void adopt_from(const std::filesystem::path& source, FlowFile& ff) override;
  void export_to(const FlowFile& ff, const std::filesystem::path& destination) override;
  void hand_over_to(const FlowFile& ff, const std::filesystem::path& destination) override;
  void put_attribute(FlowFile& ff, std::string_view name, std::string_view value) override;
  void remove_attribute(FlowFile& ff, std::string_view name) override;
  void transfer(const FlowFile& ff, std::string_view relationship) override;
  void remove(const FlowFile& ff) override;
  void penalize(FlowFile& ff) override;
  void report(const FlowFile& ff, ReportedEvent type, std::string_view transit_uri,
              std::string_view details) override;
  [[nodiscard]] std::optional<std::string> get_state(std::string_view key) override;
  void set_state(std::string_view key, std::string_view value) override;
  void remove_state(std::string_view key) override;
  void for_each_state(const std::function<void(std::string_view, std::string_view)>& fn) override;
  std::unique_ptr<ProcessSession> new_session() override;
  FlowFile migrate(const FlowFile& ff, ProcessSession& destination) override;
  void commit() override;
  void rollback() override;

  // For checkpoints (called with the commit gate held exclusively): the inputs this session holds.
  template <typename Fn>
  void for_each_original(Fn&& fn) const {
    for (const auto& o : originals_) {
      if (o.source != nullptr) fn(*o.source, o.record);
    }
  }
  // True once the session took or created anything (for idle detection).
  [[nodiscard]] bool did_work() const { return did_work_; }

 private:
  // kMigrated: moved to another session (migrate); this session no longer answers for it.
  enum class State : std::uint8_t { kOpen, kTransferred, kRemoved, kMigrated };
  // How an entry came into the session: what provenance records for its creation.
  enum class Origin : std::uint8_t { kInput, kExpired, kCreated, kChild, kJoined, kCloned };
  struct Entry {
    FlowFileRecord current;
    std::int32_t original = -1;  // index in originals_; -1 = created in this session
    State state = State::kOpen;
    Origin origin = Origin::kInput;
    std::uint32_t parent = 0;  // kChild, kCloned: the entry it came from; kJoined: index in joins_
    const std::string* relationship = nullptr;
  };
  struct Original {
    Connection* source;  // nullptr once migrated to another session
    FlowFileRecord record;
  };
  // A provenance event the processor reported; its text lives in report_text_.
  struct Report {
    std::uint32_t entry;
    ReportedEvent type;
    std::int64_t time_ms;
    std::uint32_t uri_at, uri_size, details_at, details_size;
  };
  // A copy made at commit because a relationship feeds several connections (recorded as a CLONE).
  struct FanOutCopy {
    std::uint32_t entry;
    const FlowFileRecord* copy;
  };

  Entry& entry(const FlowFile& ff);
  // Gives the FlowFile content this session wrote into the repository (synced before the commit record).
  void set_written_content(FlowFile& ff, ContentClaim claim);
  FlowFile add_entry(FlowFileRecord&& record, std::int32_t original, Origin origin = Origin::kInput,
                     std::uint32_t parent = 0);
  // Encodes this session's provenance events (session_provenance.cpp); none when provenance is off.
  ProvenanceEvents record_provenance(std::span<const FanOutCopy> copies);
  FlowFileRecord new_record();
  std::size_t take(std::size_t max);
  void register_open();
  void unregister();
  void reset();

  ProcessorNode& node_;
  FlowRuntime& runtime_;
  std::deque<Entry> entries_;
  std::vector<Original> originals_;
  std::vector<Ref<ResourceClaim>> written_;  // resources this session wrote to: synced before commit
  std::map<std::string, std::optional<std::string>, std::less<>> pending_state_;  // nullopt: removed
  std::size_t migrated_out_ = 0;  // originals_ entries that moved to another session
  std::vector<Report> reports_;
  std::string report_text_;
  std::vector<std::vector<std::uint32_t>> joins_;  // parents (entry indexes) of each kJoined entry
  bool registered_ = false;
  bool did_work_ = false;
};

}  // namespace sluice::internal
