#include "flow/flow_controller.hpp"

#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "flow/process_session.hpp"
#include "provenance/store_format.hpp"
#include "repository/volatile_flowfile_repository.hpp"

namespace sluice::internal {

std::string connection_key(const std::string& from, const std::string& relationship, const std::string& to) {
  return fmt::format("{}:{}:{}", from, relationship, to);
}

namespace {
Durability to_durability(DurabilityMode mode) {
  switch (mode) {
    case DurabilityMode::kBatch: return Durability::kBatch;
    case DurabilityMode::kNone: return Durability::kNone;
    case DurabilityMode::kFsync: break;
  }
  return Durability::kFsync;
}

// The checkpoint's view: queue by queue, the FlowFiles open sessions took from its head first, then what
// the queue holds in memory and on disk, in order.
class FlowSnapshot final : public SnapshotSource {
 public:
  struct Queue {
    std::string key;
    std::vector<FlowFileRecord> in_sessions;
    ConnectionSnapshot queued;
  };
  std::vector<Queue> queues;
  std::map<std::string, StateStore::Entries, std::less<>> state;

  void for_each(const std::function<void(std::string_view, const FlowFileRecord&)>& fn) override {
    for (const Queue& q : queues) {
      for (const auto& r : q.in_sessions) fn(q.key, r);
      for (const auto& r : q.queued.head) fn(q.key, r);
      for (const auto& file : q.queued.swapped) {
        for (const auto& r : file->read()) fn(q.key, r);
      }
      for (const auto& r : q.queued.tail) fn(q.key, r);
    }
  }
  void for_each_state(const StateSink& fn) override {
    for (const auto& [component, entries] : state) {
      for (const auto& [key, value] : entries) fn({component, key, value, false});
    }
  }
};
}  // namespace

FlowController::FlowController(FlowModel flow, const ProcessorRegistry& registry,
                               std::filesystem::path data_dir, const Clock& clock)
    : flow_(std::move(flow)),
      data_dir_(std::move(data_dir)),
      clock_(clock),
      services_(flow_, registry, clock_) {
  std::map<std::string, ProcessorNode*, std::less<>> by_id;
  for (const ProcessorModel& p : flow_.processors) {
    const ProcessorDefinition* definition = registry.find(p.type.value);
    if (definition == nullptr) throw std::runtime_error("unknown processor type " + p.type.value);
    nodes_.push_back(std::make_unique<ProcessorNode>(p, *definition, clock_));
    nodes_.back()->bind_services(services_);
    by_id[p.id.value] = nodes_.back().get();
    for (const Located& t : p.terminate) nodes_.back()->add_terminated(t.value);
  }
  const auto swap_dir = flow_.settings.memory_repositories ? std::filesystem::path() : data_dir_ / "swap";
  for (const ConnectionModel& c : flow_.connections) {
    for (const Located& relationship : c.relationships) {
      ConnectionSettings s;
      s.key = connection_key(c.from.value, relationship.value, c.to.value);
      s.max_objects = c.back_pressure_objects;
      s.max_bytes = c.back_pressure_bytes;
      s.expiration = std::chrono::duration_cast<std::chrono::milliseconds>(c.expiration);
      s.prioritizer = c.prioritizer;
      s.priority_attribute = c.priority_attribute;
      s.swap_threshold = c.swap_threshold;
      s.swap_directory = swap_dir;
      connections_.push_back(std::make_unique<Connection>(std::move(s)));
      Connection* conn = connections_.back().get();
      by_key_[conn->key()] = conn;
      by_id.at(c.from.value)->add_output(relationship.value, conn);
      by_id.at(c.to.value)->add_input(conn);
    }
  }
}

FlowController::~FlowController() {
  try {
    stop();
  } catch (const std::exception& e) {
    spdlog::error("shutdown: {}", e.what());
  }
}

Connection* FlowController::holding_connection(std::string_view key) {
  for (auto& c : holding_) {
    if (c->key() == key) return c.get();
  }
  ConnectionSettings s;
  s.key = std::string(key);
  s.max_objects = UINT64_MAX;
  s.max_bytes = UINT64_MAX;
  s.swap_directory = flow_.settings.memory_repositories ? std::filesystem::path() : data_dir_ / "swap";
  holding_.push_back(std::make_unique<Connection>(std::move(s)));
  return holding_.back().get();
}

RecoveryReport FlowController::recover() {
  const auto& settings = flow_.settings;
  if (settings.memory_repositories) {
    content_ = make_memory_content_repository();
    flowfiles_ = make_volatile_flowfile_repository();
  } else {
    std::filesystem::create_directories(data_dir_);
    lock_.emplace(data_dir_);                         // before anything in it is touched
    std::filesystem::remove_all(data_dir_ / "swap");  // swap files are not durable state; the log is
    std::filesystem::create_directories(data_dir_ / "swap");
    ContentRepositorySettings cs;
    cs.directory = data_dir_ / "content";
    // Provenance's content view and replay are the archive's only readers: without them it would only
    // keep delivered files' inodes (and disk space) alive.
    cs.archive_max_bytes = settings.provenance.enabled.value_or(true) ? settings.content_archive_bytes : 0;
    cs.archive_max_age = settings.content_archive_age;
    cs.eager_writeback = settings.durability == DurabilityMode::kFsync;
    content_ = make_file_content_repository(cs);
    FlowFileRepositorySettings fs;
    fs.directory = data_dir_ / "flowfile";
    fs.durability = to_durability(settings.durability);
    fs.batch_interval = settings.batch_interval;
    fs.checkpoint_log_bytes = settings.checkpoint_log_bytes;
    flowfiles_ = make_flowfile_repository(fs);
  }
  runtime_.content = content_.get();
  runtime_.flowfiles = flowfiles_.get();
  runtime_.clock = &clock_;
  const auto& provenance = settings.provenance;
  if (provenance.enabled.value_or(!settings.memory_repositories) && !data_dir_.empty()) {
    provenance::IndexerSettings ps;
    ps.store.directory = provenance::store_directory(data_dir_);
    ps.store.max_age = provenance.max_age;
    ps.store.max_size = provenance.max_size;
    ps.store.indexed_attributes = provenance.indexed_attributes;
    ps.store.sync = settings.durability != DurabilityMode::kNone;
    indexer_ = std::make_unique<provenance::Indexer>(std::move(ps), clock_);
    flowfiles_->set_provenance_sink(indexer_.get());
    runtime_.provenance = true;
  }

  RecoveryReport report;
  const RecoveryStats stats = flowfiles_->recover(
      *content_,
      [&](std::string_view queue, FlowFileRecord&& r) {
        auto it = by_key_.find(queue);
        Connection* target = it != by_key_.end() ? it->second : holding_connection(queue);
        if (it == by_key_.end()) {
          ++report.held;
          ++report.held_by_queue[std::string(queue)];
        }
        target->enqueue(std::move(r));
      },
      [&](const StateChange& change) { runtime_.state.apply(change); });
  runtime_.next_id = stats.max_id + 1;
  report.flowfiles = stats.flowfiles;
  report.truncated_bytes = stats.truncated_bytes;
  report.reindexed_events = stats.reindexed_events;
  report.elapsed = stats.elapsed;
  for (const auto& [queue, count] : report.held_by_queue) {
    spdlog::warn("{} FlowFiles are held: their connection '{}' is no longer in the flow (kept, not dropped)",
                 count, queue);
  }
  return report;
}

namespace {
void stop_processor(ProcessorNode& node) {
  try {
    node.processor().on_stop(node);
  } catch (const std::exception& e) {
    spdlog::error("[{}] on_stop: {}", node.processor_id(), e.what());
  }
}
}  // namespace

void FlowController::start(bool worker_threads) {
  services_.enable_all();  // before any on_schedule: processors may use services there
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    ProcessorNode& node = *nodes_[i];
    std::string error;
    try {
      node.processor().on_schedule(node);
      continue;
    } catch (const std::exception& e) {
      error = e.what();
    } catch (...) {
      error = "a non-standard exception";
    }
    for (std::size_t j = i; j-- > 0;) stop_processor(*nodes_[j]);
    services_.disable_all();
    throw std::runtime_error(fmt::format("processor '{}' ({}) could not be scheduled: {}",
                                         node.processor_id(), node.spec().type, error));
  }
  std::vector<ProcessorNode*> nodes;
  nodes.reserve(nodes_.size());
  for (auto& n : nodes_) nodes.push_back(n.get());
  std::size_t threads = flow_.settings.threads;
  if (threads == 0) threads = std::max(1U, std::thread::hardware_concurrency());
  scheduler_ = std::make_unique<Scheduler>(std::move(nodes), runtime_, threads);
  runtime_.on_input = [this] { scheduler_->wake(); };
  runtime_.last_work_ms = clock_.now_ms();
  if (worker_threads) scheduler_->start();
  started_ = true;
}

void FlowController::maintain() {
  if (flowfiles_ && flowfiles_->log_bytes_since_checkpoint() >= flow_.settings.checkpoint_log_bytes)
    checkpoint();
  // Log segments kept for events the provenance store had not made durable yet may go now.
  if (flowfiles_ && indexer_) flowfiles_->release_indexed_segments();
}

void FlowController::checkpoint() {
  if (!flowfiles_) return;
  FlowSnapshot snapshot;
  {
    std::unique_lock gate(runtime_.commit_gate);
    flowfiles_->begin_checkpoint();
    std::map<Connection*, std::size_t> index;
    auto add_queue = [&](Connection* c) {
      index[c] = snapshot.queues.size();
      snapshot.queues.push_back({c->key(), {}, c->snapshot()});
    };
    for (auto& c : connections_) add_queue(c.get());
    for (auto& c : holding_) add_queue(c.get());
    snapshot.state = runtime_.state.copy();
    std::lock_guard sessions(runtime_.sessions_mutex);
    for (ProcessSessionImpl* s : runtime_.open_sessions) {
      s->for_each_original([&](Connection& source, const FlowFileRecord& r) {
        snapshot.queues[index.at(&source)].in_sessions.push_back(r);
      });
    }
  }
  flowfiles_->write_checkpoint(snapshot);
}

void FlowController::stop() {
  if (stopped_) return;
  stopped_ = true;
  if (scheduler_) {
    scheduler_->stop_sources();
    scheduler_->stop();  // waits for running triggers: their sessions commit or roll back
  }
  if (started_) {
    for (auto& node : nodes_) stop_processor(*node);
    services_.disable_all();  // after the last processor stopped
  }
  if (flowfiles_) {
    checkpoint();
    flowfiles_->close();  // hands the last committed events to the indexer
  }
  if (indexer_) {
    indexer_->stop();
    if (flowfiles_) flowfiles_->release_indexed_segments();
  }
}

bool FlowController::idle(std::chrono::milliseconds quiet) const {
  const auto q = quiet_for();
  return q && *q >= quiet;
}

std::optional<std::chrono::milliseconds> FlowController::quiet_for() const {
  if (queued() != 0) return std::nullopt;
  if (scheduler_ && scheduler_->running_triggers() != 0) return std::nullopt;
  {
    // FlowFiles a processor holds in sessions across triggers (MergeContent's bins) are still work to do.
    std::lock_guard sessions(runtime_.sessions_mutex);
    if (!runtime_.open_sessions.empty()) return std::nullopt;
  }
  return std::chrono::milliseconds(clock_.now_ms() - runtime_.last_work_ms.load());
}

std::uint64_t FlowController::queued() const {
  std::uint64_t n = 0;
  for (const auto& c : connections_) n += c->count();
  return n;
}

std::vector<ProcessorSummary> FlowController::summary() const {
  std::vector<ProcessorSummary> out;
  for (const auto& node : nodes_) {
    auto& s = node->stats();
    out.push_back({node->processor_id(), node->spec().type, s.in.load(), s.out.load(), s.bytes_in.load(),
                   s.bytes_out.load(), s.removed.load(), s.errors.load()});
  }
  return out;
}

Connection* FlowController::connection(const std::string& key) {
  auto it = by_key_.find(key);
  return it == by_key_.end() ? nullptr : it->second;
}

ProcessorNode* FlowController::node(const std::string& id) {
  for (auto& n : nodes_) {
    if (n->processor_id() == id) return n.get();
  }
  return nullptr;
}

}  // namespace sluice::internal
