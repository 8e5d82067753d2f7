// The progress lines of long commands (src/cli/progress.h), on an injected clock: what a person
// watching a terminal, or reading a log, sees.
#include <gtest/gtest.h>

#include <sstream>

#include "cli/progress.h"

namespace leadproc::cli {
namespace {

using namespace std::chrono_literals;

struct FakeClock {
  std::chrono::steady_clock::time_point now{};
  Progress::Clock fn() {
    return [this] { return now; };
  }
};

TEST(Progress, ALogGetsAPlainLineEveryFiveSecondsAndASummary) {
  FakeClock clock;
  std::ostringstream out;
  Progress p(out, /*terminal=*/false, "import leads.bson", "documents", clock.fn());
  clock.now += 1s;
  p.update(10'000, 0.1);
  EXPECT_EQ(out.str(), "") << "nothing before five seconds";
  clock.now += 4s;
  p.update(50'000, 0.5);
  EXPECT_EQ(out.str(),
            "import leads.bson  50,000 of ~100,000 documents  50 %  10,000/s  about 5.0 s left\n");
  clock.now += 2s;
  p.update(70'000, 0.7);
  EXPECT_EQ(out.str().find("70,000"), std::string::npos) << "the next line is five seconds later";
  clock.now += 3s;
  p.finish(100'000);
  EXPECT_TRUE(out.str().ends_with("import leads.bson  100,000 documents in 10 s (10,000/s)\n"))
      << out.str();
}

TEST(Progress, ATerminalLineIsRedrawnInPlace) {
  FakeClock clock;
  std::ostringstream out;
  Progress p(out, /*terminal=*/true, "generate", "opportunities", clock.fn());
  clock.now += 200ms;
  p.update(2'000, std::nullopt);  // a total nobody knows: no percentage, no time left
  clock.now += 200ms;
  p.update(4'000, std::nullopt);
  clock.now += 100s;
  p.finish(1'000'000);
  EXPECT_EQ(out.str(),
            "\r\033[Kgenerate  2,000 opportunities  10,000/s"
            "\r\033[Kgenerate  4,000 opportunities  10,000/s"
            "\r\033[Kgenerate  1,000,000 opportunities in 1 min 40 s (9,960/s)\n");
}

// A step without a count (the indexes built after an import's rows) stands on a line of its own:
// on a terminal the line drawn in place is cleared first, and the summary follows on the next.
TEST(Progress, AStepWithoutACountHasALineOfItsOwn) {
  FakeClock clock;
  std::ostringstream out;
  Progress p(out, /*terminal=*/true, "import rawopportunities.bson", "documents", clock.fn());
  clock.now += 200ms;
  p.update(2'000, std::nullopt);
  p.note("building 24 indexes");
  clock.now += 1800ms;
  p.finish(2'000);
  EXPECT_EQ(out.str(),
            "\r\033[Kimport rawopportunities.bson  2,000 documents  10,000/s"
            "\r\033[Kimport rawopportunities.bson  building 24 indexes\n"
            "import rawopportunities.bson  2,000 documents in 2.0 s (1,000/s)\n");
  std::ostringstream log;
  Progress plain(log, /*terminal=*/false, "import rawopportunities.bson", "documents", clock.fn());
  plain.note("building 24 indexes");
  EXPECT_EQ(log.str(), "import rawopportunities.bson  building 24 indexes\n");
}

TEST(Progress, AKnownTotalIsShownAsDoneOfTotalWithItsShare) {
  FakeClock clock;
  std::ostringstream out;
  Progress p(out, /*terminal=*/false, "generate dump", "documents", clock.fn());
  p.set_total(400'000);
  clock.now += 10s;
  p.update(100'000);
  EXPECT_EQ(out.str(),
            "generate dump  100,000 of 400,000 documents  25 %  10,000/s  about 30 s left\n");
}

TEST(Progress, NumbersAreGroupedByThousands) {
  EXPECT_EQ(with_thousands(0), "0");
  EXPECT_EQ(with_thousands(999), "999");
  EXPECT_EQ(with_thousands(1000), "1,000");
  EXPECT_EQ(with_thousands(1234567), "1,234,567");
  EXPECT_EQ(with_thousands(-45000), "-45,000");
}

}  // namespace
}  // namespace leadproc::cli
