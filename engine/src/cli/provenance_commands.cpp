#include "cli/provenance_commands.hpp"

namespace sluice::cli {

namespace {
constexpr const char* kDataDirHelp = "The engine's data directory (its provenance/ store is read)";

OutputFormat format_of(bool json, bool other, OutputFormat other_format) {
  if (json) return OutputFormat::kJson;
  return other ? other_format : OutputFormat::kTable;
}
}  // namespace

ProvenanceCommands::ProvenanceCommands(CLI::App& app) {
  provenance_ = app.add_subcommand("provenance", "Query provenance: what happened to each FlowFile; replay");
  provenance_->require_subcommand(1);

  sql_ = provenance_->add_subcommand(
      "sql", "Run a read-only SQL query over events, event_parents, event_children, event_attributes");
  sql_->add_option("sql", sql_options_.sql, "SELECT statement(s)")->required();
  sql_->add_option("--data-dir", sql_options_.data_dir, kDataDirHelp)->capture_default_str();
  sql_->add_flag("--json", sql_json_, "Rows as a JSON array of objects");
  sql_->add_flag("--csv", sql_csv_, "Rows as CSV with a header line");

  query_ = provenance_->add_subcommand("query", "Find events (newest first)");
  query_->add_option("--data-dir", query_options_.data_dir, kDataDirHelp)->capture_default_str();
  query_->add_option("--flowfile", query_options_.flowfile,
                     "A FlowFile uuid (as itself, a parent or a child)");
  query_->add_option("--component", query_options_.component, "A processor id");
  query_->add_option("--type", query_options_.type, "An event type, e.g. SEND, DROP, FORK");
  query_->add_option("--since", query_options_.since,
                     "From this time: ISO 8601 (UTC unless it says), epoch ms, or a duration ago (15min)");
  query_->add_option("--until", query_options_.until, "Up to this time (same forms as --since)");
  query_->add_option("--attr", query_options_.attributes, "NAME=VALUE: an attribute value (repeatable)");
  query_->add_option("--uri", query_options_.uri, "Transit URIs containing this text");
  query_->add_option("--limit", query_options_.limit, "At most this many events")->capture_default_str();
  query_->add_flag("--oldest-first", query_options_.oldest_first, "Oldest first instead of newest first");
  query_->add_flag("--json", query_json_, "Full events as a JSON array");
  query_->add_flag("--csv", query_csv_, "CSV with a header line");

  lineage_ =
      provenance_->add_subcommand("lineage", "A FlowFile's ancestors and descendants with their events");
  lineage_->add_option("uuid", lineage_options_.uuid, "FlowFile uuid")->required();
  lineage_->add_option("--data-dir", lineage_options_.data_dir, kDataDirHelp)->capture_default_str();
  lineage_->add_flag("--json", lineage_json_, "The graph as JSON");
  lineage_->add_flag("--dot", lineage_dot_, "The graph as Graphviz DOT (render with dot -Tsvg)");

  content_ = provenance_->add_subcommand("content", "Write the content an event saw to stdout (or --out)");
  content_->add_option("event_id", content_options_.event_id, "Event id")->required();
  content_->add_option("--data-dir", content_options_.data_dir, kDataDirHelp)->capture_default_str();
  content_->add_flag("--input", content_options_.input, "The content before the event");
  content_->add_flag("--output", content_options_.output, "The content after the event (default)");
  content_->add_option("--out", content_options_.out, "Write to this file instead of stdout");

  replay_ = provenance_->add_subcommand(
      "replay", "Queue an event's input content and attributes again for the same processor");
  replay_->add_option("event_id", replay_options_.event_id, "Event id")->required();
  replay_->add_option("--data-dir", replay_options_.data_dir, kDataDirHelp)->capture_default_str();
}

bool ProvenanceCommands::chosen() const {
  return provenance_->parsed();
}

int ProvenanceCommands::run() const {
  if (sql_->parsed()) {
    ProvenanceSqlOptions o = sql_options_;
    o.format = format_of(sql_json_, sql_csv_, OutputFormat::kCsv);
    return provenance_sql_command(o);
  }
  if (query_->parsed()) {
    ProvenanceQueryOptions o = query_options_;
    o.format = format_of(query_json_, query_csv_, OutputFormat::kCsv);
    return provenance_query_command(o);
  }
  if (lineage_->parsed()) {
    ProvenanceLineageOptions o = lineage_options_;
    o.format = format_of(lineage_json_, lineage_dot_, OutputFormat::kDot);
    return provenance_lineage_command(o);
  }
  if (content_->parsed()) return provenance_content_command(content_options_);
  if (replay_->parsed()) return provenance_replay_command(replay_options_);
  return kExitInvalid;
}

}  // namespace sluice::cli
