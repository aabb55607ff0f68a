// The ProcessSession: the only way a processor touches FlowFiles. Every change is provisional until
// commit(), which makes content, FlowFile state and queue moves durable together; rollback() restores the
// inputs to their queues untouched.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/flowfile.hpp"
#include "sluice/stream.hpp"

namespace sluice {

// The provenance events a processor reports itself (see ProcessSession::report).
enum class ReportedEvent : std::uint8_t {
  kReceive,   // content arrived from outside (HTTP body, AMQP message, a listed file)
  kFetch,     // content of an existing FlowFile was replaced by content from outside
  kSend,      // content left for outside (SFTP upload, published message); report after the peer confirmed
  kDownload,  // a user or client downloaded the content
  kAddInfo,   // extra information about the FlowFile (details)
};

class ProcessSession {
 public:
  virtual ~ProcessSession() = default;

  // Take the next FlowFile from the processor's input queues, or an empty handle.
  virtual FlowFile get() = 0;
  // Take up to max FlowFiles (the processor's `batch` setting is a good max).
  virtual std::vector<FlowFile> get(std::size_t max) = 0;

  virtual FlowFile create() = 0;
  // A child that inherits the parent's attributes (not its content).
  virtual FlowFile create(const FlowFile& parent) = 0;
  // A FlowFile merged from several parents: it starts with the attributes every parent has with the same
  // value, its lineage starts with the oldest parent's, and provenance records a JOIN.
  virtual FlowFile create_merged(std::span<const FlowFile> parents) {
    (void)parents;
    throw std::logic_error("this ProcessSession cannot create a FlowFile from several parents");
  }
  // A copy sharing the same content and attributes, with a new uuid.
  virtual FlowFile clone(const FlowFile& original) = 0;

  virtual void read(const FlowFile& ff, const std::function<void(InputStream&)>& reader) = 0;
  // Replaces the content with what the writer writes.
  virtual void write(FlowFile& ff, const std::function<void(OutputStream&)>& writer) = 0;
  virtual void append(FlowFile& ff, const std::function<void(OutputStream&)>& writer) = 0;
  // Efficient whole-file copies in and out of the content repository.
  virtual void import_from(const std::filesystem::path& source, FlowFile& ff) = 0;
  // For a source the caller deletes after commit() (GetFile without keep_source): the content repository
  // may take the file over (a hard link on the same file system) instead of copying its bytes. The caller
  // must not change the file afterwards.
  virtual void adopt_from(const std::filesystem::path& source, FlowFile& ff) { import_from(source, ff); }
  virtual void export_to(const FlowFile& ff, const std::filesystem::path& destination) = 0;
  // Like export_to for a delivery (PutFile): when the content is a whole file in the content repository
  // that no other FlowFile shares, on the same file system, `destination` becomes a second name of that
  // file (a hard link: no byte copied, its data already durable). The repository first seals the bytes
  // (SHA-256): whoever reads the content afterwards (a later processor, provenance's content view and
  // replay) gets exactly them, or an error if the delivered file was changed since. The caller must not
  // change the file's bytes or mode through `destination`. `destination` must not exist.
  virtual void hand_over_to(const FlowFile& ff, const std::filesystem::path& destination) {
    export_to(ff, destination);
  }

  virtual void put_attribute(FlowFile& ff, std::string_view name, std::string_view value) = 0;
  virtual void remove_attribute(FlowFile& ff, std::string_view name) = 0;

  virtual void transfer(const FlowFile& ff, std::string_view relationship) = 0;
  virtual void remove(const FlowFile& ff) = 0;
  // The FlowFile stays invisible in its next queue until the processor's penalty duration has passed.
  virtual void penalize(FlowFile& ff) = 0;

  // Provenance: the session records CREATE, CLONE, FORK, JOIN, ROUTE, DROP, EXPIRE, CONTENT_MODIFIED and
  // ATTRIBUTES_MODIFIED by itself. A processor adds what only it knows: where content came from or went
  // (a transit URI such as sftp://host/dir/file, without credentials) and free-text details. A RECEIVE or
  // FETCH replaces the CREATE (or CONTENT_MODIFIED) the session would otherwise record for that FlowFile.
  virtual void report(const FlowFile& ff, ReportedEvent type, std::string_view transit_uri,
                      std::string_view details = {}) = 0;
  void report_receive(const FlowFile& ff, std::string_view uri, std::string_view details = {}) {
    report(ff, ReportedEvent::kReceive, uri, details);
  }
  void report_fetch(const FlowFile& ff, std::string_view uri, std::string_view details = {}) {
    report(ff, ReportedEvent::kFetch, uri, details);
  }
  void report_send(const FlowFile& ff, std::string_view uri, std::string_view details = {}) {
    report(ff, ReportedEvent::kSend, uri, details);
  }

  // Durable state of this processor (a listing position, a maximum value, open aggregation windows),
  // changed with the session: committed atomically with its FlowFiles, discarded by rollback, restored
  // after a crash. Reads see this session's own changes. Concurrent sessions of one processor that set
  // the same key: the last commit wins.
  [[nodiscard]] virtual std::optional<std::string> get_state(std::string_view key) = 0;
  virtual void set_state(std::string_view key, std::string_view value) = 0;
  virtual void remove_state(std::string_view key) = 0;
  // Every committed key and value of this processor (not this session's pending changes), in key order.
  virtual void for_each_state(
      const std::function<void(std::string_view key, std::string_view value)>& fn) = 0;

  // Holding FlowFiles across triggers (NiFi's session-per-bin): a new session of this processor, independent
  // of this one and owned by the caller, which may keep it past the trigger (MergeContent keeps one per bin).
  // FlowFiles it took stay durably in their input queue until it commits: a crash or rollback() returns
  // them there. Destroying it rolls it back; a processor holding sessions rolls them back in on_stop.
  // Use a held session only from within on_trigger/on_stop, one thread at a time.
  virtual std::unique_ptr<ProcessSession> new_session() = 0;
  // Moves `ff` (with the queue position it came from, its pending changes and its content) from this session
  // into `destination`, another session of the same processor, and returns its handle there; the handle in
  // this session is no longer valid. Commit or rollback of either session then concerns it only in
  // `destination`.
  virtual FlowFile migrate(const FlowFile& ff, ProcessSession& destination) = 0;

  virtual void commit() = 0;
  virtual void rollback() = 0;
};

}  // namespace sluice
