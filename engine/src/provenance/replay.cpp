#include "provenance/replay.hpp"

#include <algorithm>
#include <charconv>
#include <random>
#include <shared_mutex>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "flow/flow_controller.hpp"
#include "provenance/event_codec.hpp"
#include "provenance/queries.hpp"
#include "provenance/store_format.hpp"
#include "util/fs_sync.hpp"

namespace sluice::internal::provenance {

namespace fs = std::filesystem;

namespace {
// Engine state recording applied requests, so that a crash between the commit and the removal of the
// request file does not replay twice. Not a valid processor id: it cannot collide with one.
constexpr std::string_view kReplayComponent = "provenance:replay";
constexpr std::string_view kRequestSuffix = ".request";

fs::path request_dir(const fs::path& data_dir) {
  return store_directory(data_dir) / "replay";
}
}  // namespace

fs::path queue_replay_request(const fs::path& data_dir, std::uint64_t event_id) {
  const fs::path dir = request_dir(data_dir);
  create_directory_durable(dir);
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  std::random_device random;
  fs::path file = dir / fmt::format("{:015}-{}-{:08x}{}", now, event_id, random(), kRequestSuffix);
  write_file_atomically(file, std::to_string(event_id) + "\n", true);
  return file;
}

std::vector<ReplayRequest> pending_replay_requests(const fs::path& data_dir) {
  std::vector<ReplayRequest> out;
  std::error_code ec;
  const fs::path dir = request_dir(data_dir);
  if (!fs::is_directory(dir, ec)) return out;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (!name.ends_with(kRequestSuffix)) continue;
    std::string text;
    try {
      text = read_whole_file(e.path());
    } catch (const std::exception& err) {
      spdlog::warn("replay request {}: {}", e.path().string(), err.what());
      continue;
    }
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    std::uint64_t id = 0;
    auto [end, parse] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (parse != std::errc() || end != text.data() + text.size() || id == 0) {
      spdlog::warn("replay request {}: '{}' is not an event id; ignored", e.path().string(), text);
      continue;
    }
    out.push_back({e.path(), id});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.file < b.file; });
  return out;
}

ReplayResult ReplayService::replay(std::uint64_t event_id) {
  return apply(event_id, "");
}

ReplayResult ReplayService::apply(std::uint64_t event_id, const std::string& request) {
  Indexer* indexer = controller_.provenance();
  if (indexer == nullptr) {
    throw std::runtime_error(
        "provenance is off for this flow (settings provenance.enabled): nothing to replay");
  }
  indexer->flush();  // an event committed a moment ago is in the store
  const Queries queries(controller_.data_dir());
  const auto event = queries.event(event_id);
  if (!event) throw std::runtime_error(fmt::format("there is no provenance event {}", event_id));
  const ContentStatus status = queries.content_status(*event, ContentSide::kInput);
  if (!status.exists) {
    throw std::runtime_error(
        fmt::format("event {} ({} at '{}') has no input to replay: its FlowFile was created "
                    "there (replay an event of a processor that took it from a queue)",
                    event_id, event_type_name(event->type), event->component_id));
  }
  if (!status.available) throw std::runtime_error(status.reason);

  // Back into the queue it came from; if that connection is gone, into the processor's first input.
  Connection* target = controller_.connection(event->source_queue);
  ProcessorNode* node = controller_.node(event->component_id);
  if (target == nullptr && node != nullptr && !node->inputs().empty()) target = node->inputs().front();
  if (target == nullptr) {
    throw std::runtime_error(
        fmt::format("cannot replay event {}: processor '{}' has no input connection in this "
                    "flow",
                    event_id, event->component_id));
  }

  FlowRuntime& rt = controller_.runtime();
  auto writer = rt.content->create_writer();
  queries.read_content(*event, ContentSide::kInput, [&](std::string_view bytes) { writer->write(bytes); });
  FlowFileRecord record;
  record.content = writer->finish();
  record.id = rt.next_id.fetch_add(1);
  record.uuid = random_uuid();
  record.entry_ms = rt.clock->now_ms();
  record.lineage_start_ms = event->lineage_start_ms;
  auto before = event->attributes_before();
  std::sort(before.begin(), before.end());
  if (!before.empty()) record.attributes = Attributes(make_ref<AttributeSet>(std::move(before)));

  Uuid original{};
  parse_uuid(event->flowfile_uuid, original);
  SectionEncoder encoder;
  encoder.begin(event->component_id, node != nullptr ? node->spec().type : event->component_type,
                record.entry_ms);
  EventInput in;
  in.type = EventType::kReplay;
  in.time_ms = record.entry_ms;
  in.uuid = &record.uuid;
  in.parents = std::span<const Uuid>(&original, 1);
  in.children = std::span<const Uuid>(&record.uuid, 1);
  in.source_queue = target->key();
  const std::string details = fmt::format("Replay of event {}", event_id);
  in.details = details;
  in.entry_ms = record.entry_ms;
  in.lineage_start_ms = record.lineage_start_ms;
  in.content_out = &record.content;
  in.attributes = &record.attributes;
  encoder.add(in);
  const ProvenanceEvents events{encoder.body(), encoder.count()};

  ReplayResult result{event_id, uuid_to_string(record.uuid), target->key()};
  const std::vector<RepositoryChange> changes{{RepositoryChange::Kind::kUpsert, &record, 0, target->key()}};
  std::vector<ResourceClaim*> written;
  if (record.content.resource) written.push_back(record.content.resource.get());
  const std::string applied = std::to_string(event_id);
  std::vector<StateChange> state;
  if (!request.empty()) state.push_back({kReplayComponent, request, applied, false});
  {
    std::shared_lock gate(rt.commit_gate);
    std::lock_guard ordered(rt.state_commit_mutex);
    rt.flowfiles->commit(changes, written, state, &events);
    rt.state.apply(state);
    rt.content->increment(record.content);
    target->enqueue(std::move(record));
  }
  if (rt.on_input) rt.on_input();
  spdlog::info("replayed provenance event {} as FlowFile {} into {}", event_id, result.flowfile_uuid,
               result.queue);
  return result;
}

std::size_t ReplayService::apply_pending() {
  const auto requests = pending_replay_requests(controller_.data_dir());
  std::size_t applied = 0;
  for (const ReplayRequest& r : requests) {
    const std::string name = r.file.filename().string();
    if (!controller_.state().get(kReplayComponent, name)) {
      try {
        apply(r.event_id, name);
        ++applied;
      } catch (const std::exception& e) {
        spdlog::error("replay request {} (event {}) failed: {}; the request is kept as {}.failed",
                      r.file.string(), r.event_id, e.what(), name);
        std::error_code ec;
        fs::rename(r.file, fs::path(r.file).concat(".failed"), ec);
        continue;
      }
    }
    std::error_code ec;
    fs::remove(r.file, ec);
  }
  // Forget applied requests whose files are gone (the marker only guards the window before removal).
  std::vector<std::string> stale;
  for (const auto& [key, value] : controller_.state().entries(kReplayComponent)) {
    std::error_code ec;
    if (!fs::exists(request_dir(controller_.data_dir()) / key, ec)) stale.push_back(key);
  }
  if (!stale.empty()) {
    std::vector<StateChange> removals;
    removals.reserve(stale.size());
    for (const auto& key : stale) removals.push_back({kReplayComponent, key, {}, true});
    FlowRuntime& rt = controller_.runtime();
    std::shared_lock gate(rt.commit_gate);
    std::lock_guard ordered(rt.state_commit_mutex);
    rt.flowfiles->commit({}, {}, removals);
    rt.state.apply(removals);
  }
  return applied;
}

}  // namespace sluice::internal::provenance
