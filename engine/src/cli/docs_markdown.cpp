#include "cli/docs_markdown.hpp"

#include <fmt/format.h>

#include "cli/spec_json.hpp"

namespace sluice::cli {

namespace {

// Text for a table cell: pipes escaped, line breaks as <br>.
std::string cell(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += "<br>";
    } else {
      out += c;
    }
  }
  return out;
}

// `text` as inline code that survives backticks inside it.
std::string code(std::string_view text) {
  const std::string_view fence = text.find('`') == std::string_view::npos ? "`" : "`` ";
  const std::string_view close = fence.size() == 1 ? "`" : " ``";
  return fmt::format("{}{}{}", fence, cell(text), close);
}

std::string join_codes(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += code(item);
  }
  return out;
}

std::string kind_text(const PropertySpec& p) {
  if (p.kind == PropertyKind::kService) {
    return p.service.empty() ? "service" : fmt::format("service ({})", p.service);
  }
  return kind_name(p.kind);
}

std::string property_notes(const PropertySpec& p) {
  std::string out = cell(p.description);
  if (!p.allowed_values.empty()) {
    out += "<br>Allowed values:";
    for (const auto& a : p.allowed_values) {
      out += "<br>• " + code(a.value);
      if (!a.description.empty()) out += ": " + cell(a.description);
    }
  }
  if (p.sensitive) out += "<br>**Sensitive**: never logged or recorded in provenance.";
  return out;
}

void properties_section(std::string& out, const std::vector<PropertySpec>& properties) {
  out += "\n## Properties\n\n";
  if (properties.empty()) {
    out += "None.\n";
    return;
  }
  out += "| Name | Kind | Default | Required | Description |\n";
  out += "|------|------|---------|----------|-------------|\n";
  for (const auto& p : properties) {
    out += fmt::format("| {} | {} | {} | {} | {} |\n", code(p.name), kind_text(p),
                       p.default_value ? code(*p.default_value) : std::string(), p.required ? "yes" : "no",
                       property_notes(p));
  }
}

void dynamic_section(std::string& out, bool dynamic, const std::string& description) {
  if (!dynamic) return;
  out += "\n## Dynamic properties\n\n";
  out += description.empty() ? "Accepts properties not listed above.\n" : description + "\n";
}

void attributes_section(std::string& out, std::string_view title,
                        const std::vector<AttributeSpec>& attributes) {
  if (attributes.empty()) return;
  out += fmt::format("\n## {}\n\n| Name | Description |\n|------|-------------|\n", title);
  for (const auto& a : attributes) out += fmt::format("| {} | {} |\n", code(a.name), cell(a.description));
}

void examples_section(std::string& out, const std::vector<ExampleSpec>& examples) {
  if (examples.empty()) return;
  out += "\n## Examples\n";
  for (const auto& e : examples) {
    out += fmt::format("\n### {}\n\n```yaml\n{}", e.title, e.yaml);
    if (!e.yaml.empty() && e.yaml.back() != '\n') out += '\n';
    out += "```\n";
  }
}

std::string input_text(InputRequirement input) {
  switch (input) {
    case InputRequirement::kRequired: return "required (needs an incoming connection)";
    case InputRequirement::kAllowed: return "allowed";
    case InputRequirement::kForbidden: return "forbidden (a source: no connection may lead to it)";
  }
  return "allowed";
}

// Title, summary, the facts table and the description: the top of every page.
void header(std::string& out, const std::string& type, const std::string& summary, std::string_view component,
            const std::vector<std::pair<std::string, std::string>>& facts, const std::string& description) {
  out += kGeneratedBanner;
  out += fmt::format("\n\n# {}\n\n", type);
  if (!summary.empty()) out += summary + "\n\n";
  out += fmt::format("| {} | |\n|---|---|\n", component);
  for (const auto& [name, value] : facts) {
    if (!value.empty()) out += fmt::format("| {} | {} |\n", name, value);
  }
  if (!description.empty()) {
    out += "\n" + description;
    if (description.back() != '\n') out += '\n';
  }
}

// NiFi's @TriggerSerially and @TriggerWhenEmpty, which a flow author must know (concurrency, yield).
std::string triggers_text(const ProcessorSpec& s) {
  std::string out;
  if (s.trigger_serially) out = "one at a time: `concurrency` above 1 does not load";
  if (s.trigger_when_empty) {
    if (!out.empty()) out += "; ";
    out += "also on its schedule when its input is empty (it releases what it holds as time passes)";
  }
  return out;
}

}  // namespace

std::string page_file_name(const std::string& type) {
  return type + ".md";
}

std::string processor_page(const DocumentedProcessor& processor) {
  const ProcessorSpec& s = *processor.spec;
  std::string out;
  header(out, s.type, s.summary, "Processor",
         {{"Plugin", code(processor.plugin)},
          {"Status", status_name(s.status)},
          {"Input", input_text(s.input)},
          {"Triggers", triggers_text(s)},
          {"Tags", join_codes(s.tags)}},
         s.description);
  properties_section(out, s.properties);
  out += "\n## Relationships\n\n";
  if (s.relationships.empty()) {
    out += "None: every FlowFile it takes is removed or kept in its session.\n";
  } else {
    out += "| Name | Description |\n|------|-------------|\n";
    for (const auto& r : s.relationships)
      out += fmt::format("| {} | {} |\n", code(r.name), cell(r.description));
  }
  dynamic_section(out, s.dynamic_properties, s.dynamic_properties_description);
  attributes_section(out, "Reads attributes", s.reads_attributes);
  attributes_section(out, "Writes attributes", s.writes_attributes);
  examples_section(out, s.examples);
  return out;
}

std::string service_page(const DocumentedService& service) {
  const ServiceSpec& s = *service.spec;
  std::string out;
  header(out, s.type, s.summary, "Controller service",
         {{"Plugin", code(service.plugin)},
          {"Status", status_name(s.status)},
          {"Provides", join_codes(s.provides)},
          {"Tags", join_codes(s.tags)}},
         s.description);
  properties_section(out, s.properties);
  dynamic_section(out, s.dynamic_properties, s.dynamic_properties_description);
  examples_section(out, s.examples);
  return out;
}

std::string index_page(const std::vector<DocumentedProcessor>& processors,
                       const std::vector<DocumentedService>& services) {
  std::string out(kGeneratedBanner);
  out += "\n\n# Processors and controller services\n\n";
  out +=
      "One page per component, generated from its spec (`sluice processors --json` prints the same "
      "specs). The [plugin guide](../plugin-guide.md) explains how to write your own.\n";
  out += "\n## Processors\n\n";
  if (processors.empty()) {
    out += "None loaded.\n";
  } else {
    out += "| Processor | Plugin | Status | Summary |\n|-----------|--------|--------|---------|\n";
    for (const auto& p : processors) {
      out += fmt::format("| [{}]({}) | {} | {} | {} |\n", p.spec->type, page_file_name(p.spec->type),
                         code(p.plugin), status_name(p.spec->status), cell(p.spec->summary));
    }
  }
  out += "\n## Controller services\n\n";
  if (services.empty()) {
    out += "None loaded.\n";
  } else {
    out +=
        "| Service | Plugin | Provides | Status | Summary "
        "|\n|---------|--------|----------|--------|---------|\n";
    for (const auto& s : services) {
      out += fmt::format("| [{}]({}) | {} | {} | {} | {} |\n", s.spec->type, page_file_name(s.spec->type),
                         code(s.plugin), join_codes(s.spec->provides), status_name(s.spec->status),
                         cell(s.spec->summary));
    }
  }
  return out;
}

}  // namespace sluice::cli
