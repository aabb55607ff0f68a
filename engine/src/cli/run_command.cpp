#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "cli/commands.hpp"
#include "cli/plugins.hpp"
#include "config/flow_loader.hpp"
#include "config/settings.hpp"
#include "control/control_socket.hpp"
#include "flow/flow_controller.hpp"
#include "provenance/replay.hpp"
#include "sluice/units.hpp"

namespace sluice::cli {

namespace {
// SIGINT/SIGTERM are taken by one thread with sigwait, so no work happens in a signal handler.
class ShutdownSignal {
 public:
  ShutdownSignal() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);  // before any other thread exists: they inherit it
    thread_ = std::thread([this] {
      int sig = 0;
      sigwait(&set_, &sig);
      if (sig == SIGTERM && done_.load()) return;  // our own wake-up at exit
      spdlog::info("received {}, stopping: sources first, then running sessions, then checkpoint",
                   sig == SIGINT ? "SIGINT" : "SIGTERM");
      signal();
    });
  }
  ~ShutdownSignal() {
    done_ = true;
    // Wakes the thread out of sigwait (it waits for exactly this signal); it exits because done_ is set.
    pthread_kill(thread_.native_handle(), SIGTERM);  // NOLINT(bugprone-bad-signal-to-kill-thread)
    thread_.join();
  }
  ShutdownSignal(const ShutdownSignal&) = delete;
  ShutdownSignal& operator=(const ShutdownSignal&) = delete;

  void signal() {
    std::lock_guard lock(mutex_);
    requested_ = true;
    cv_.notify_all();
  }
  // Waits up to `d`; true once shutdown was requested.
  bool wait_for(std::chrono::milliseconds d) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, d, [this] { return requested_; });
  }

 private:
  sigset_t set_{};
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool requested_ = false;
  std::atomic<bool> done_{false};
};

constexpr auto kReplayPoll = std::chrono::seconds(1);

// "replay <event id>" -> "ok ..." or "error ...".
std::string control_answer(internal::provenance::ReplayService& replay, std::string_view request) {
  constexpr std::string_view kReplay = "replay ";
  if (!request.starts_with(kReplay)) return fmt::format("error unknown request '{}'", request);
  std::uint64_t id = 0;
  const std::string_view arg = request.substr(kReplay.size());
  auto [end, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), id);
  if (ec != std::errc() || end != arg.data() + arg.size())
    return fmt::format("error '{}' is not an event id", arg);
  const auto result = replay.replay(id);
  return fmt::format("ok replayed event {} as FlowFile {} into {}", result.event_id, result.flowfile_uuid,
                     result.queue);
}

struct Totals {
  std::uint64_t out = 0;
  std::uint64_t bytes = 0;
};

Totals totals(const std::vector<internal::ProcessorSummary>& summary) {
  Totals t;
  for (const auto& p : summary) {
    t.out += p.out;
    t.bytes += p.bytes_out;
  }
  return t;
}

void print_summary(const std::vector<internal::ProcessorSummary>& summary, std::uint64_t queued,
                   double elapsed_s) {
  std::cout << fmt::format("{:<20} {:<18} {:>12} {:>12} {:>12} {:>12}\n", "processor", "type", "in", "out",
                           "bytes in", "bytes out");
  for (const auto& p : summary) {
    std::cout << fmt::format("{:<20} {:<18} {:>12} {:>12} {:>12} {:>12}\n", p.id, p.type, p.in, p.out,
                             format_size(p.bytes_in), format_size(p.bytes_out));
  }
  std::cout << fmt::format("queued {} FlowFiles; elapsed {:.2f} s\n", queued, elapsed_s);
}

void write_summary_json(const std::filesystem::path& file,
                        const std::vector<internal::ProcessorSummary>& summary, std::uint64_t queued,
                        double elapsed_s) {
  nlohmann::json j;
  j["processors"] = nlohmann::json::object();
  for (const auto& p : summary) {
    j["processors"][p.id] = {
        {"type", p.type},           {"in", p.in},           {"out", p.out},      {"bytes_in", p.bytes_in},
        {"bytes_out", p.bytes_out}, {"removed", p.removed}, {"errors", p.errors}};
  }
  j["queued"] = queued;
  j["elapsed_s"] = elapsed_s;
  std::ofstream(file) << j.dump(2) << '\n';
}
}  // namespace

int run_command(const CommonOptions& common, const RunOptions& options) {
  ShutdownSignal shutdown;  // first: every thread started later inherits the blocked signals

  internal::PluginLoader loader;
  internal::ProcessorRegistry registry;
  load_plugins(common, loader, registry);  // a broken plugin is reported; the flow may not need it

  auto parsed = internal::load_flow_file(options.flow, registry);
  auto& diagnostics = parsed.diagnostics;
  for (const auto& setting : options.settings) {
    for (auto& d : internal::apply_setting_override(parsed.flow.settings, setting))
      diagnostics.push_back(std::move(d));
  }
  if (!diagnostics.empty()) {
    for (const auto& d : diagnostics) std::cerr << d.str() << '\n';
    return kExitInvalid;
  }
  const auto idle_quiet = parse_duration(options.idle_duration);
  if (options.until_idle && !idle_quiet) {
    std::cerr << "--until-idle takes a duration such as 500ms or 2s, got '" << options.idle_duration << "'\n";
    return kExitInvalid;
  }

  internal::SystemClock clock;
  const auto started = std::chrono::steady_clock::now();
  internal::FlowController controller(parsed.flow, registry, options.data_dir, clock);
  const auto recovered = controller.recover();
  if (recovered.flowfiles > 0 || recovered.truncated_bytes > 0) {
    spdlog::info("recovered {} queued FlowFiles in {} ms{}", recovered.flowfiles, recovered.elapsed.count(),
                 recovered.truncated_bytes > 0
                     ? fmt::format(" (cut {} bytes of torn log tail)", recovered.truncated_bytes)
                     : std::string());
  }
  if (recovered.reindexed_events > 0) {
    spdlog::info("provenance: indexed {} events again from the log (the store had not kept them)",
                 recovered.reindexed_events);
  }
  try {
    controller.start();
  } catch (const std::exception& e) {
    std::cerr << "cannot start flow '" << parsed.flow.name.value << "': " << e.what() << '\n';
    return kExitError;
  }

  // Replays: queued requests now and as they arrive, and at once through the control socket.
  internal::provenance::ReplayService replay(controller);
  std::unique_ptr<internal::control::ControlServer> control;
  if (!parsed.flow.settings.memory_repositories) {
    try {
      control = std::make_unique<internal::control::ControlServer>(
          options.data_dir,
          [&](std::string_view request) -> std::string { return control_answer(replay, request); });
    } catch (const std::exception& e) {
      spdlog::warn("no control socket ({}): `sluice provenance replay` will queue requests for the next run",
                   e.what());
    }
  }
  if (controller.provenance() != nullptr) replay.apply_pending();
  auto last_replay_check = std::chrono::steady_clock::now();

  const bool progress = isatty(STDERR_FILENO) != 0;
  Totals last = {};
  auto last_at = std::chrono::steady_clock::now();
  const auto quiet =
      std::chrono::duration_cast<std::chrono::milliseconds>(idle_quiet.value_or(std::chrono::seconds(1)));
  // Housekeeping every 100 ms; with --until-idle the idle check runs more often, so that the exit follows
  // the quiet period closely: a 100 ms poll alone added up to 100 ms to each run (bench/meter measures it).
  constexpr auto kHousekeeping = std::chrono::milliseconds(100);
  const auto poll =
      options.until_idle ? std::clamp(quiet / 5, std::chrono::milliseconds(1), kHousekeeping) : kHousekeeping;
  auto last_housekeeping = std::chrono::steady_clock::now();
  while (!shutdown.wait_for(poll)) {
    if (options.until_idle && controller.idle(quiet)) break;
    if (std::chrono::steady_clock::now() - last_housekeeping < kHousekeeping) continue;
    last_housekeeping = std::chrono::steady_clock::now();
    controller.maintain();
    if (controller.provenance() != nullptr &&
        std::chrono::steady_clock::now() - last_replay_check >= kReplayPoll) {
      replay.apply_pending();
      last_replay_check = std::chrono::steady_clock::now();
    }
    if (progress) {
      const auto now = std::chrono::steady_clock::now();
      if (now - last_at >= std::chrono::seconds(1)) {
        const Totals t = totals(controller.summary());
        const double dt = std::chrono::duration<double>(now - last_at).count();
        std::cerr << fmt::format(
            "\r{} FlowFiles out, {} | {:.0f} FlowFiles/s, {}/s | queued {}      ", t.out,
            format_size(t.bytes), static_cast<double>(t.out - last.out) / dt,
            format_size(static_cast<std::uint64_t>(static_cast<double>(t.bytes - last.bytes) / dt)),
            controller.queued());
        last = t;
        last_at = now;
      }
    }
  }
  if (progress) std::cerr << '\n';
  control.reset();  // no replay while the flow stops
  controller.stop();

  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const auto summary = controller.summary();
  print_summary(summary, controller.queued(), elapsed);
  if (!options.summary_json.empty())
    write_summary_json(options.summary_json, summary, controller.queued(), elapsed);
  return kExitOk;
}

}  // namespace sluice::cli
