#include "flow/process_session.hpp"

#include <algorithm>
#include <cstring>
#include <mutex>

#include <fmt/format.h>

#include "provenance/event_codec.hpp"
#include "sluice/processor.hpp"
#include "sluice/units.hpp"

namespace sluice::internal {

namespace {
// The content of an empty claim: reads nothing.
class EmptyInputStream final : public InputStream {
 public:
  std::size_t read(std::span<char> /*buf*/) override { return 0; }
  std::string_view view() override { return {}; }
  [[nodiscard]] std::uint64_t size() const override { return 0; }
};

// Attributes the engine computes: a processor cannot set them.
bool is_core_attribute(std::string_view name) {
  return name == "uuid" || name == "fileSize" || name == "entryDate" || name == "lineageStartDate";
}
}  // namespace

ProcessSessionImpl::ProcessSessionImpl(ProcessorNode& node, FlowRuntime& runtime)
    : node_(node), runtime_(runtime) {}

ProcessSessionImpl::~ProcessSessionImpl() {
  if (!entries_.empty() || !originals_.empty()) rollback();
}

void ProcessSessionImpl::register_open() {
  if (registered_) return;
  std::lock_guard lock(runtime_.sessions_mutex);
  runtime_.open_sessions.insert(this);
  registered_ = true;
}

void ProcessSessionImpl::unregister() {
  if (!registered_) return;
  std::lock_guard lock(runtime_.sessions_mutex);
  runtime_.open_sessions.erase(this);
  registered_ = false;
}

void ProcessSessionImpl::reset() {
  entries_.clear();
  originals_.clear();
  migrated_out_ = 0;
  written_.clear();
  pending_state_.clear();
  reports_.clear();
  report_text_.clear();
  joins_.clear();
}

ProcessSessionImpl::Entry& ProcessSessionImpl::entry(const FlowFile& ff) {
  FlowFileRecord* record = ff.record();
  if (record == nullptr || record->session_slot >= entries_.size() ||
      &entries_[record->session_slot].current != record) {
    throw ProcessorError(fmt::format("processor '{}' used a FlowFile that does not belong to this session",
                                     node_.processor_id()));
  }
  Entry& e = entries_[record->session_slot];
  if (e.state == State::kMigrated) {
    throw ProcessorError(fmt::format("processor '{}' used a FlowFile after migrating it to another session",
                                     node_.processor_id()));
  }
  return e;
}

FlowFile ProcessSessionImpl::add_entry(FlowFileRecord&& record, std::int32_t original, Origin origin,
                                       std::uint32_t parent) {
  did_work_ = true;
  Entry& e = entries_.emplace_back();
  e.current = std::move(record);
  e.current.session_slot = static_cast<std::uint32_t>(entries_.size() - 1);
  e.original = original;
  e.origin = origin;
  e.parent = parent;
  return FlowFile(&e.current);
}

std::size_t ProcessSessionImpl::take(std::size_t max) {
  const auto& inputs = node_.inputs();
  // The schedule's batch bounds what one trigger may hold, however much the processor asks for.
  const std::size_t batch = node_.schedule().batch;
  const std::size_t held = originals_.size() - migrated_out_;
  max = std::min(max, held >= batch ? 0 : batch - held);
  if (inputs.empty() || max == 0) return 0;
  std::vector<FlowFileRecord> polled;
  std::vector<FlowFileRecord> expired;
  std::size_t taken = 0;
  std::shared_lock gate(runtime_.commit_gate);
  register_open();
  const std::int64_t now = runtime_.clock->now_ms();
  for (std::size_t i = 0; i < inputs.size() && taken < max; ++i) {
    Connection* source = inputs[(node_.input_cursor + i) % inputs.size()];
    polled.clear();
    expired.clear();
    taken += source->poll(max - taken, now, polled, expired);
    for (auto& r : polled) {
      originals_.push_back(Original{source, r});
      add_entry(std::move(r), static_cast<std::int32_t>(originals_.size() - 1));
    }
    for (auto& r : expired) {
      originals_.push_back(Original{source, r});
      add_entry(std::move(r), static_cast<std::int32_t>(originals_.size() - 1), Origin::kExpired);
      entries_.back().state = State::kRemoved;
    }
  }
  ++node_.input_cursor;  // start at the next input next time: fairness across inputs
  return taken;
}

FlowFile ProcessSessionImpl::get() {
  const std::size_t before = entries_.size();
  if (take(1) == 0) return {};
  for (std::size_t i = before; i < entries_.size(); ++i) {
    if (entries_[i].state == State::kOpen) return FlowFile(&entries_[i].current);
  }
  return {};
}

std::vector<FlowFile> ProcessSessionImpl::get(std::size_t max) {
  const std::size_t before = entries_.size();
  take(max);
  std::vector<FlowFile> out;
  out.reserve(entries_.size() - before);
  for (std::size_t i = before; i < entries_.size(); ++i) {
    if (entries_[i].state == State::kOpen) out.emplace_back(&entries_[i].current);
  }
  return out;
}

FlowFileRecord ProcessSessionImpl::new_record() {
  FlowFileRecord r;
  r.id = runtime_.next_id.fetch_add(1, std::memory_order_relaxed);
  r.uuid = random_uuid();
  r.entry_ms = runtime_.clock->now_ms();
  r.lineage_start_ms = r.entry_ms;
  return r;
}

FlowFile ProcessSessionImpl::create() {
  return add_entry(new_record(), -1, Origin::kCreated);
}

FlowFile ProcessSessionImpl::create(const FlowFile& parent) {
  const Entry& p = entry(parent);
  FlowFileRecord r = new_record();
  r.attributes = p.current.attributes;
  r.lineage_start_ms = p.current.lineage_start_ms;
  return add_entry(std::move(r), -1, Origin::kChild, p.current.session_slot);
}

FlowFile ProcessSessionImpl::create_merged(std::span<const FlowFile> parents) {
  if (parents.empty()) return create();
  if (parents.size() == 1) return create(parents.front());
  std::vector<std::uint32_t> slots;
  slots.reserve(parents.size());
  FlowFileRecord r = new_record();
  // The attributes every parent has with the same value (NiFi's rule for a merged FlowFile).
  const Entry& first = entry(parents.front());
  std::vector<AttributeSet::Entry> common;
  for (const auto& [name, value] : first.current.attributes.entries()) {
    bool shared = true;
    for (const FlowFile& p : parents.subspan(1)) {
      const auto other = entry(p).current.attributes.find(name);
      if (!other || *other != value) {
        shared = false;
        break;
      }
    }
    if (shared) common.emplace_back(name, value);
  }
  if (!common.empty()) r.attributes = Attributes(make_ref<AttributeSet>(std::move(common)));
  r.lineage_start_ms = first.current.lineage_start_ms;
  for (const FlowFile& p : parents) {
    const Entry& e = entry(p);
    r.lineage_start_ms = std::min(r.lineage_start_ms, e.current.lineage_start_ms);
    slots.push_back(e.current.session_slot);
  }
  joins_.push_back(std::move(slots));
  return add_entry(std::move(r), -1, Origin::kJoined, static_cast<std::uint32_t>(joins_.size() - 1));
}

FlowFile ProcessSessionImpl::clone(const FlowFile& original) {
  const Entry& o = entry(original);
  FlowFileRecord r = new_record();
  r.attributes = o.current.attributes;
  r.content = o.current.content;
  r.lineage_start_ms = o.current.lineage_start_ms;
  return add_entry(std::move(r), -1, Origin::kCloned, o.current.session_slot);
}

void ProcessSessionImpl::read(const FlowFile& ff, const std::function<void(InputStream&)>& reader) {
  const Entry& e = entry(ff);
  if (e.current.content.empty()) {
    EmptyInputStream empty;
    reader(empty);
    return;
  }
  auto in = runtime_.content->open(e.current.content);
  reader(*in);
}

void ProcessSessionImpl::write(FlowFile& ff, const std::function<void(OutputStream&)>& writer) {
  Entry& e = entry(ff);
  auto out = runtime_.content->create_writer();
  writer(*out);
  e.current.content = out->finish();
  if (e.current.content.resource) written_.push_back(e.current.content.resource);
}

void ProcessSessionImpl::append(FlowFile& ff, const std::function<void(OutputStream&)>& writer) {
  Entry& e = entry(ff);
  auto out = runtime_.content->create_writer();
  if (!e.current.content.empty()) {
    auto in = runtime_.content->open(e.current.content);
    out->write(in->view());
  }
  writer(*out);
  e.current.content = out->finish();
  if (e.current.content.resource) written_.push_back(e.current.content.resource);
}

void ProcessSessionImpl::import_from(const std::filesystem::path& source, FlowFile& ff) {
  set_written_content(ff, runtime_.content->import_file(source));
}

void ProcessSessionImpl::adopt_from(const std::filesystem::path& source, FlowFile& ff) {
  set_written_content(ff, runtime_.content->adopt_file(source));
}

void ProcessSessionImpl::set_written_content(FlowFile& ff, ContentClaim claim) {
  Entry& e = entry(ff);
  e.current.content = std::move(claim);
  if (e.current.content.resource) written_.push_back(e.current.content.resource);
}

void ProcessSessionImpl::export_to(const FlowFile& ff, const std::filesystem::path& destination) {
  const Entry& e = entry(ff);
  if (e.current.content.empty()) {
    // An empty content still makes an (empty) file.
    auto out = runtime_.content->create_writer();
    runtime_.content->export_file(out->finish(), destination);
    return;
  }
  runtime_.content->export_file(e.current.content, destination);
}

void ProcessSessionImpl::hand_over_to(const FlowFile& ff, const std::filesystem::path& destination) {
  const Entry& e = entry(ff);
  if (runtime_.content->link_file(e.current.content, destination)) return;
  export_to(ff, destination);
}

void ProcessSessionImpl::put_attribute(FlowFile& ff, std::string_view name, std::string_view value) {
  if (is_core_attribute(name)) return;  // NiFi ignores writes to these too
  entry(ff).current.attributes.put(name, value);
}

void ProcessSessionImpl::remove_attribute(FlowFile& ff, std::string_view name) {
  if (is_core_attribute(name)) return;
  entry(ff).current.attributes.remove(name);
}

void ProcessSessionImpl::transfer(const FlowFile& ff, std::string_view relationship) {
  Entry& e = entry(ff);
  // The node's relationships as configured: static ones whose condition holds, and dynamic ones.
  const std::string* name = node_.relationship(relationship);
  if (name == nullptr) {
    throw ProcessorError(fmt::format("processor '{}' transferred to unknown relationship '{}'",
                                     node_.processor_id(), relationship));
  }
  e.state = State::kTransferred;
  e.relationship = name;
}

void ProcessSessionImpl::remove(const FlowFile& ff) {
  entry(ff).state = State::kRemoved;
}

void ProcessSessionImpl::penalize(FlowFile& ff) {
  const auto penalty =
      std::chrono::duration_cast<std::chrono::milliseconds>(node_.schedule().penalty).count();
  entry(ff).current.penalty_until_ms = runtime_.clock->now_ms() + penalty;
}

void ProcessSessionImpl::report(const FlowFile& ff, ReportedEvent type, std::string_view transit_uri,
                                std::string_view details) {
  const Entry& e = entry(ff);
  if (!runtime_.provenance) return;
  // One text buffer for every report of the session: no allocation per FlowFile once warm.
  Report r{e.current.session_slot,
           type,
           runtime_.clock->now_ms(),
           static_cast<std::uint32_t>(report_text_.size()),
           static_cast<std::uint32_t>(transit_uri.size()),
           static_cast<std::uint32_t>(report_text_.size() + transit_uri.size()),
           static_cast<std::uint32_t>(details.size())};
  report_text_.append(transit_uri);
  report_text_.append(details);
  reports_.push_back(r);
}

std::optional<std::string> ProcessSessionImpl::get_state(std::string_view key) {
  if (auto it = pending_state_.find(key); it != pending_state_.end()) return it->second;
  return runtime_.state.get(node_.id(), key);
}

void ProcessSessionImpl::set_state(std::string_view key, std::string_view value) {
  auto it = pending_state_.find(key);
  if (it == pending_state_.end()) {
    pending_state_.emplace(std::string(key), std::string(value));
  } else {
    it->second = std::string(value);
  }
}

void ProcessSessionImpl::remove_state(std::string_view key) {
  auto it = pending_state_.find(key);
  if (it == pending_state_.end()) {
    pending_state_.emplace(std::string(key), std::nullopt);
  } else {
    it->second.reset();
  }
}

void ProcessSessionImpl::for_each_state(const std::function<void(std::string_view, std::string_view)>& fn) {
  for (const auto& [key, value] : runtime_.state.entries(node_.id())) fn(key, value);
}

std::unique_ptr<ProcessSession> ProcessSessionImpl::new_session() {
  return std::make_unique<ProcessSessionImpl>(node_, runtime_);
}

FlowFile ProcessSessionImpl::migrate(const FlowFile& ff, ProcessSession& destination) {
  auto* to = dynamic_cast<ProcessSessionImpl*>(&destination);
  if (to == nullptr || to == this || &to->node_ != &node_) {
    throw ProcessorError(
        fmt::format("processor '{}' migrated a FlowFile to a session that is not another session of its own",
                    node_.processor_id()));
  }
  Entry& e = entry(ff);
  // Under the gate, so that a checkpoint sees the original in exactly one of the two sessions.
  std::shared_lock gate(runtime_.commit_gate);
  std::int32_t original = -1;
  if (e.original >= 0) {
    Original& o = originals_[static_cast<std::size_t>(e.original)];
    to->register_open();
    to->originals_.push_back(Original{o.source, std::move(o.record)});
    o.source = nullptr;
    ++migrated_out_;
    original = static_cast<std::int32_t>(to->originals_.size() - 1);
    // Registered means "holds queued FlowFiles" (checkpoints, idle detection): a session that gave away its
    // last one no longer does, even if it stays open (ControlRate's held session between bursts).
    if (migrated_out_ == originals_.size()) unregister();
  }
  // Provenance: a FlowFile taken from a queue keeps its origin; one made in this session is a creation
  // there (its parent entry stays behind in this session).
  const Origin origin =
      e.origin == Origin::kInput || e.origin == Origin::kExpired ? e.origin : Origin::kCreated;
  const FlowFile moved = to->add_entry(std::move(e.current), original, origin);
  Entry& moved_entry = to->entries_.back();
  moved_entry.state = e.state;
  moved_entry.relationship = e.relationship;  // owned by the node both sessions belong to
  e.state = State::kMigrated;
  // Content written for it in this session must be synced by whichever session commits it.
  to->written_.insert(to->written_.end(), written_.begin(), written_.end());
  return moved;
}

void ProcessSessionImpl::commit() {
  struct Delivery {
    Connection* to;
    FlowFileRecord* record;
  };
  std::vector<Delivery> deliveries;
  std::vector<FlowFileRecord> extra_copies;  // a relationship feeding several connections clones
  std::vector<FanOutCopy> copies;
  std::vector<RepositoryChange> changes;
  std::uint64_t removed = 0;
  deliveries.reserve(entries_.size());
  changes.reserve(entries_.size());

  // Every FlowFile must have a destination before anything becomes durable.
  std::size_t copies_needed = 0;
  for (const Entry& e : entries_) {
    if (e.state == State::kMigrated) continue;
    if (e.state == State::kOpen) {
      throw ProcessorError(fmt::format("processor '{}' neither transferred nor removed FlowFile {}",
                                       node_.processor_id(), uuid_to_string(e.current.uuid)));
    }
    if (e.state == State::kTransferred) {
      const auto* outs = node_.outputs(*e.relationship);
      if (outs != nullptr && outs->size() > 1) copies_needed += outs->size() - 1;
      if (e.original >= 0 && node_.retried(*e.relationship)) ++copies_needed;
    }
  }
  extra_copies.reserve(copies_needed);  // stable addresses for the change list

  // The retry policy: a FlowFile routed to a retried relationship goes back, as it was taken, to the queue
  // it came from, counting the attempt (durably, in an attribute) and waiting out its backoff.
  const std::int64_t now = runtime_.clock->now_ms();
  std::uint64_t retried = 0;
  const RetryModel& retry = node_.retry();
  auto retry_now = [&](Entry& e) {
    const Original& o = originals_[static_cast<std::size_t>(e.original)];
    const auto count = o.record.attributes.find(node_.retry_attribute());
    const std::uint32_t attempt =
        count ? static_cast<std::uint32_t>(parse_int(*count).value_or(0)) : std::uint32_t{0};
    if (retry.max_attempts != 0 && attempt + 1 >= retry.max_attempts) {
      e.current.attributes.remove(node_.retry_attribute());  // it goes on for real: the count is done
      return false;
    }
    FlowFileRecord again = o.record;
    again.attributes.put(node_.retry_attribute(), std::to_string(attempt + 1));
    if (retry.policy == RetryPolicy::kPenalize) {
      again.penalty_until_ms = now + backoff_delay(retry.backoff, retry.max_backoff, attempt).count();
    }
    extra_copies.push_back(std::move(again));
    deliveries.push_back({o.source, &extra_copies.back()});
    changes.push_back({RepositoryChange::Kind::kUpsert, &extra_copies.back(), 0, o.source->key()});
    ++retried;
    return true;
  };

  for (Entry& e : entries_) {
    if (e.state == State::kMigrated) continue;
    if (e.state == State::kTransferred && e.original >= 0 && node_.retried(*e.relationship)) {
      if (retry_now(e)) continue;
    } else if (e.state == State::kTransferred && !retry.relationships.empty()) {
      e.current.attributes.remove(node_.retry_attribute());  // it succeeded here: start afresh next time
    }
    const std::vector<Connection*>* outs =
        e.state == State::kTransferred ? node_.outputs(*e.relationship) : nullptr;
    if (outs == nullptr || outs->empty()) {
      if (e.state == State::kTransferred && !node_.terminated(*e.relationship)) {
        throw ProcessorError(
            fmt::format("processor '{}': relationship '{}' is neither connected nor terminated",
                        node_.processor_id(), *e.relationship));
      }
      ++removed;
      if (e.original >= 0) changes.push_back({RepositoryChange::Kind::kRemove, nullptr, e.current.id, {}});
      continue;
    }
    for (std::size_t i = 0; i < outs->size(); ++i) {
      FlowFileRecord* record = &e.current;
      if (i > 0) {
        FlowFileRecord copy = new_record();
        copy.attributes = e.current.attributes;
        copy.content = e.current.content;
        copy.lineage_start_ms = e.current.lineage_start_ms;
        copy.penalty_until_ms = e.current.penalty_until_ms;
        extra_copies.push_back(std::move(copy));
        record = &extra_copies.back();
        copies.push_back({e.current.session_slot, record});
      }
      deliveries.push_back({(*outs)[i], record});
      changes.push_back({RepositoryChange::Kind::kUpsert, record, 0, (*outs)[i]->key()});
    }
  }

  std::vector<ResourceClaim*> to_sync;
  to_sync.reserve(written_.size());
  for (const auto& r : written_) to_sync.push_back(r.get());
  std::sort(to_sync.begin(), to_sync.end());
  to_sync.erase(std::unique(to_sync.begin(), to_sync.end()), to_sync.end());

  std::vector<StateChange> state;
  state.reserve(pending_state_.size());
  for (const auto& [key, value] : pending_state_) {
    state.push_back({node_.id(), key, value ? std::string_view(*value) : std::string_view(), !value});
  }

  const ProvenanceEvents events = record_provenance(copies);
  const ProvenanceEvents* events_ptr = events.count > 0 ? &events : nullptr;

  {
    std::shared_lock gate(runtime_.commit_gate);
    if (state.empty()) {
      if (!changes.empty() || events_ptr != nullptr)
        runtime_.flowfiles->commit(changes, to_sync, {}, events_ptr);
    } else {
      // State is applied in log order, so that what a crash recovers is what ran: commits that carry
      // state are serialized (those without keep their group commit).
      std::lock_guard ordered(runtime_.state_commit_mutex);
      runtime_.flowfiles->commit(changes, to_sync, state, events_ptr);
      runtime_.state.apply(state);
    }
    // Durable: now count references (new before old, so a shared claim never touches zero) and publish.
    for (const Delivery& d : deliveries) runtime_.content->increment(d.record->content);
    std::uint64_t in_bytes = 0;
    for (const Original& o : originals_) {
      if (o.source == nullptr) continue;  // migrated: the other session answers for it
      runtime_.content->decrement(o.record.content);
      in_bytes += o.record.size();
    }
    auto& stats = node_.stats();
    stats.in.fetch_add(originals_.size() - migrated_out_, std::memory_order_relaxed);
    stats.bytes_in.fetch_add(in_bytes, std::memory_order_relaxed);
    stats.removed.fetch_add(removed, std::memory_order_relaxed);
    std::uint64_t out_bytes = 0;
    for (const Delivery& d : deliveries) {
      out_bytes += d.record->size();
      d.to->enqueue(std::move(*d.record));
    }
    stats.out.fetch_add(deliveries.size() - retried, std::memory_order_relaxed);
    stats.bytes_out.fetch_add(out_bytes, std::memory_order_relaxed);
    stats.retried.fetch_add(retried, std::memory_order_relaxed);
    unregister();
  }
  if (did_work_) runtime_.last_work_ms.store(runtime_.clock->now_ms(), std::memory_order_relaxed);
  if (retried > 0 && retried == deliveries.size() && retry.policy == RetryPolicy::kYield) {
    // Nothing got through: the other side is down. Keep the processor away, longer each time.
    const std::uint32_t streak = node_.consecutive_retries.fetch_add(1, std::memory_order_relaxed);
    node_.yielded_until_ms.store(now + backoff_delay(retry.backoff, retry.max_backoff, streak).count(),
                                 std::memory_order_relaxed);
  } else if (deliveries.size() > retried) {
    node_.consecutive_retries.store(0, std::memory_order_relaxed);
  }
  runtime_.commits.fetch_add(1, std::memory_order_relaxed);
  // New input downstream, or room freed upstream (back pressure): either may make a processor due.
  const bool moved = !deliveries.empty() || originals_.size() > migrated_out_;
  reset();
  if (moved && runtime_.on_input) runtime_.on_input();
}

void ProcessSessionImpl::rollback() {
  {
    std::shared_lock gate(runtime_.commit_gate);
    // Back to their queues in their original order, grouped by source.
    std::vector<std::pair<Connection*, std::vector<FlowFileRecord>>> by_source;
    for (auto& o : originals_) {
      if (o.source == nullptr) continue;  // migrated: the other session answers for it
      auto it = std::find_if(by_source.begin(), by_source.end(),
                             [&](const auto& p) { return p.first == o.source; });
      if (it == by_source.end()) {
        by_source.emplace_back(o.source, std::vector<FlowFileRecord>{});
        it = by_source.end() - 1;
      }
      it->second.push_back(std::move(o.record));
    }
    for (auto& [source, records] : by_source) source->requeue(std::move(records));
    unregister();
  }
  reset();
}

}  // namespace sluice::internal
