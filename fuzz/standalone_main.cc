// Runs a fuzz target without libFuzzer (in the GCC build, as part of the test suite): every file of
// the given folders (the seed corpus and the inputs of crashes found before), then inputs made by
// mutating them, and fresh random ones, until the time is up. Deterministic: a fixed seed.
// Usage: TARGET SECONDS [DIR...]
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

void Run(const std::string& input) { LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size()); }

// Characters the parsers give meaning to (the array's last byte is its terminator).
constexpr char kPunctuation[] = "(){}[]\"':,.=<>#$ \\";

std::string Mutate(std::string s, std::mt19937& rng) {
  const int edits = 1 + static_cast<int>(rng() % 8);
  for (int e = 0; e < edits; ++e) {
    const size_t at = s.empty() ? 0 : rng() % (s.size() + 1);
    switch (rng() % 5) {
      case 0: s.insert(s.begin() + static_cast<long>(at), static_cast<char>(rng())); break;
      case 1: if (at < s.size()) s.erase(at, 1 + rng() % 4); break;
      case 2: if (at < s.size()) s[at] = static_cast<char>(rng()); break;
      case 3: if (at < s.size()) s.insert(at, s.substr(at, rng() % 16)); break;  // repeat a run
      default: if (at < s.size()) s[at] = kPunctuation[rng() % (sizeof(kPunctuation) - 1)]; break;
    }
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s SECONDS [DIR...]\n", argv[0]);
    return 2;
  }
  const double seconds = std::atof(argv[1]);
  std::vector<std::string> corpus;
  for (int i = 2; i < argc; ++i) {
    if (!std::filesystem::is_directory(argv[i])) continue;
    for (const auto& f : std::filesystem::directory_iterator(argv[i])) {
      std::ifstream in(f.path(), std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      corpus.push_back(text.str());
    }
  }
  for (const auto& input : corpus) Run(input);
  std::mt19937 rng(20261202);
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  long runs = static_cast<long>(corpus.size());
  while (std::chrono::steady_clock::now() < end) {
    for (int i = 0; i < 100; ++i, ++runs) {
      if (!corpus.empty() && rng() % 4 != 0) {
        Run(Mutate(corpus[rng() % corpus.size()], rng));
      } else {
        std::string fresh(rng() % 256, '\0');
        for (auto& c : fresh) c = static_cast<char>(rng());
        Run(fresh);
      }
    }
  }
  std::printf("%s: %ld inputs (%zu from files), no crash\n", argv[0], runs, corpus.size());
  return 0;
}
