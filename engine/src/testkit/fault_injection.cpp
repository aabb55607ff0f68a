#include "testkit/fault_injection.hpp"

namespace sluice::testkit {

namespace {

class FaultySession final : public ProcessSession {
 public:
  FaultySession(ProcessSession& real, const SessionFaults& faults) : real_(real), faults_(faults) {}
  // A held session (new_session()): owns the real one, and its commits meet the same faults.
  FaultySession(std::unique_ptr<ProcessSession> real, const SessionFaults& faults)
      : owned_(std::move(real)), real_(*owned_), faults_(faults) {}

  FlowFile get() override { return touched(real_.get()); }
  std::vector<FlowFile> get(std::size_t max) override {
    auto batch = real_.get(max);
    if (!batch.empty()) dirty_ = true;
    return batch;
  }
  FlowFile create() override { return touched(real_.create()); }
  FlowFile create(const FlowFile& parent) override { return touched(real_.create(parent)); }
  FlowFile clone(const FlowFile& original) override { return touched(real_.clone(original)); }
  void read(const FlowFile& ff, const std::function<void(InputStream&)>& reader) override {
    real_.read(ff, reader);
  }
  void write(FlowFile& ff, const std::function<void(OutputStream&)>& writer) override {
    real_.write(ff, writer);
  }
  void append(FlowFile& ff, const std::function<void(OutputStream&)>& writer) override {
    real_.append(ff, writer);
  }
  void import_from(const std::filesystem::path& source, FlowFile& ff) override {
    if (faults_.before_import) faults_.before_import(source);
    real_.import_from(source, ff);
  }
  void adopt_from(const std::filesystem::path& source, FlowFile& ff) override {
    if (faults_.before_import) faults_.before_import(source);
    real_.adopt_from(source, ff);
  }
  void export_to(const FlowFile& ff, const std::filesystem::path& destination) override {
    real_.export_to(ff, destination);
    if (faults_.after_export) faults_.after_export(destination);
  }
  void hand_over_to(const FlowFile& ff, const std::filesystem::path& destination) override {
    real_.hand_over_to(ff, destination);
    if (faults_.after_export) faults_.after_export(destination);
  }
  void put_attribute(FlowFile& ff, std::string_view name, std::string_view value) override {
    real_.put_attribute(ff, name, value);
  }
  void remove_attribute(FlowFile& ff, std::string_view name) override { real_.remove_attribute(ff, name); }
  void transfer(const FlowFile& ff, std::string_view relationship) override {
    real_.transfer(ff, relationship);
  }
  void remove(const FlowFile& ff) override { real_.remove(ff); }
  void penalize(FlowFile& ff) override { real_.penalize(ff); }
  void report(const FlowFile& ff, ReportedEvent type, std::string_view transit_uri,
              std::string_view details) override {
    real_.report(ff, type, transit_uri, details);
  }
  std::optional<std::string> get_state(std::string_view key) override { return real_.get_state(key); }
  void set_state(std::string_view key, std::string_view value) override {
    dirty_ = true;
    real_.set_state(key, value);
  }
  void remove_state(std::string_view key) override {
    dirty_ = true;
    real_.remove_state(key);
  }
  void for_each_state(const std::function<void(std::string_view, std::string_view)>& fn) override {
    real_.for_each_state(fn);
  }
  // The hook runs only for a commit that has something to make durable: a session that took, created or
  // changed nothing since its last commit commits nothing.
  std::unique_ptr<ProcessSession> new_session() override {
    return std::make_unique<FaultySession>(real_.new_session(), faults_);
  }
  FlowFile migrate(const FlowFile& ff, ProcessSession& destination) override {
    auto* wrapped = dynamic_cast<FaultySession*>(&destination);
    if (wrapped == nullptr) return real_.migrate(ff, destination);
    wrapped->dirty_ = true;
    return real_.migrate(ff, wrapped->real_);
  }
  void commit() override {
    if (dirty_ && faults_.before_commit) faults_.before_commit();
    real_.commit();
    dirty_ = false;
  }
  void rollback() override {
    real_.rollback();
    dirty_ = false;
  }

 private:
  FlowFile touched(FlowFile ff) {
    if (ff) dirty_ = true;
    return ff;
  }

  std::unique_ptr<ProcessSession> owned_;  // set for a held session only
  ProcessSession& real_;
  const SessionFaults& faults_;
  bool dirty_ = false;  // FlowFiles or state in this session since its last commit
};

class FaultInjectingProcessor final : public Processor {
 public:
  FaultInjectingProcessor(std::unique_ptr<Processor> inner, const SessionFaults& faults)
      : inner_(std::move(inner)), faults_(faults) {}

  void on_schedule(ProcessContext& context) override { inner_->on_schedule(context); }
  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    FaultySession faulty(session, faults_);
    inner_->on_trigger(context, faulty);
    faulty.commit();  // the engine's own commit after on_trigger, with the hook in front of it
  }
  void on_stop(ProcessContext& context) override { inner_->on_stop(context); }

 private:
  std::unique_ptr<Processor> inner_;
  const SessionFaults& faults_;
};

}  // namespace

std::unique_ptr<Processor> with_faults(std::unique_ptr<Processor> inner, const SessionFaults& faults) {
  return std::make_unique<FaultInjectingProcessor>(std::move(inner), faults);
}

}  // namespace sluice::testkit
