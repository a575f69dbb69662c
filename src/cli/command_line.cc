#include "cli/command_line.h"

#include <algorithm>

namespace datamesh::cli {
namespace {

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The option `name` ("--region") names on `app` or, since options fall through, on a parent.
const CLI::Option* FindOption(const CLI::App* app, const std::string& name) {
  for (; app; app = app->get_parent()) {
    for (const CLI::Option* opt : app->get_options()) {
      for (const auto& l : opt->get_lnames()) {
        if ("--" + l == name) return opt;
      }
      for (const auto& s : opt->get_snames()) {
        if ("-" + s == name) return opt;
      }
    }
  }
  return nullptr;
}

// Whether the command takes words without a flag (`datamesh completion bash`).
bool TakesPositionals(const CLI::App* app) {
  for (const CLI::Option* opt : app->get_options()) {
    if (opt->get_lnames().empty() && opt->get_snames().empty()) return true;
  }
  return false;
}

const CLI::App* Subcommand(const CLI::App* app, const std::string& name) {
  for (const CLI::App* sub : app->get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_name() == name) return sub;
  }
  return nullptr;
}

}  // namespace

std::string Joined(const std::vector<std::string>& words, const std::string& separator) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) out += (i ? separator : "") + words[i];
  return out;
}

std::vector<std::string> SubcommandNames(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) names.push_back(sub->get_name());
  return names;
}

const CLI::App* Find(const CLI::App& app, const std::vector<std::string>& path) {
  const CLI::App* at = &app;
  for (const auto& word : path) {
    at = Subcommand(at, word);
    if (!at) return nullptr;
  }
  return at;
}

std::vector<std::string> FlagsAt(const CLI::App& app, const std::vector<std::string>& path) {
  std::vector<std::string> flags;
  for (const CLI::App* at = Find(app, path); at; at = at->get_parent()) {
    for (const CLI::Option* opt : at->get_options()) {
      for (const auto& l : opt->get_lnames()) flags.push_back("--" + l);
    }
  }
  return flags;
}

std::vector<std::string> Suggestions(const std::string& word, const std::vector<std::string>& candidates) {
  std::vector<std::pair<size_t, std::string>> scored;
  size_t limit = std::max<size_t>(2, word.size() / 3);
  for (const auto& c : candidates) {
    size_t d = EditDistance(word, c);
    bool prefix = word.size() >= 3 && (c.rfind(word, 0) == 0 || word.rfind(c, 0) == 0);
    if (d <= limit || prefix) scored.emplace_back(prefix ? std::min(d, limit) : d, c);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (auto& [d, c] : scored) {
    if (d > scored.front().first + 1) break;  // only the close ones, not everything within reach
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
    if (out.size() == 3) break;
  }
  return out;
}

CommandLine ScanCommandLine(const CLI::App& app, int argc, const char* const* argv) {
  CommandLine line;
  const CLI::App* at = &app;
  bool leaf_positional_seen = false;
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    if (word == "--") break;
    if (word.size() > 1 && word[0] == '-') {
      std::string name = word.substr(0, word.find('='));
      const CLI::Option* opt = FindOption(at, name);
      bool inline_value = name.size() != word.size();
      if (opt) {
        if (inline_value || opt->get_expected_min() == 0) continue;  // a flag, or --name=value
        // Its value; a list option (--tables a b c) takes every word up to the next option.
        if (i + 1 < argc) ++i;
        if (opt->get_expected_max() > 1) {
          while (i + 1 < argc && argv[i + 1][0] != '-') ++i;
        }
      } else {
        line.unknown_flags.push_back(name);
        // Its value, if it has one, is not a command word (and is never shown).
        if (!inline_value && i + 1 < argc && argv[i + 1][0] != '-') ++i;
      }
      continue;
    }
    if (!at->get_subcommands([](const CLI::App*) { return true; }).empty()) {
      if (word == "help") {
        line.help = true;
        continue;
      }
      const CLI::App* sub = Subcommand(at, word);
      if (!sub) {
        if (!line.invalid) line.invalid = word;
        continue;
      }
      at = sub;
      line.path.push_back(word);
      continue;
    }
    if (word == "help" && !leaf_positional_seen) {
      line.help = true;
      continue;
    }
    leaf_positional_seen = true;
    if (!TakesPositionals(at)) ++line.unexpected_values;
  }
  return line;
}

}  // namespace datamesh::cli
