// Named ring configurations (`--ring-config NAME`), for the ablation that shows what each io_uring
// feature buys. They are cumulative, in the order a program would adopt them, because the features
// build on each other (a buffer ring is used with the best wait model, not the plain one):
//   plain    a plain ring: no task-run flags, plain descriptors, one recv SQE per read, unlinked ops
//   coop     + IORING_SETUP_COOP_TASKRUN (no interrupt of the running loop for completion work)
//   defer    SINGLE_ISSUER|DEFER_TASKRUN instead of COOP (completion work runs only when we wait);
//            a SINGLE_ISSUER ring also enters through a registered ring fd (Ring::registered_fd)
//   fixed    + registered files (accept_direct; every request with IOSQE_FIXED_FILE)
//   bufring  + one multishot recv per connection over a provided buffer ring
//   linked   + linked ops where the workload has chains (copy-chain's read → write)
//   batch    + batched waits (min_wait_usec: one wake-up per batch of completions)
// and one branch, since SQPOLL replaces the task-run model instead of adding to it:
//   sqpoll   plain + IORING_SETUP_SQPOLL (a kernel thread submits and runs completion work)
// A feature a command has no use for (a buffer ring for file reads) stays off; the JSON line's
// `features` names only what was active. A kernel that refuses one exits 77 with the reason.
// Without --ring-config each command uses its default (see default_config()).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ringcore/ring.hpp"

namespace ringcore_backend {

enum class Workload { network, files };

struct RingConfig {
  std::string name = "default";
  ringcore::TaskRun taskrun = ringcore::TaskRun::automatic;
  bool sqpoll = false;
  bool fixed_files = false;
  bool buffer_ring = false;
  bool linked = false;
  unsigned batch_wait_us = 0;
  bool named = false;  // chosen with --ring-config: a refused feature is a skip, not a fallback

  ringcore::RingOptions ring_options() const;
};

// The names above, in ablation order.
const std::vector<std::string_view>& ring_config_names();
// The configuration `name` for a command of this kind; false for an unknown name.
bool ring_config_named(std::string_view name, Workload w, RingConfig& out);
// What a command uses without --ring-config.
RingConfig default_config(Workload w);

// Takes `--ring-config NAME` out of argv (anywhere after argv[0]); the rest goes to backend_main.
// Returns false with `error` set for a missing or unknown name.
bool take_ring_config_flag(int& argc, char** argv, std::string& error);
// The configuration chosen on the command line for a command of kind `w` (its default otherwise).
RingConfig chosen_config(Workload w);

// "coop,fixed,...": what was active on this ring (setup flags as the kernel took them, plus the
// features the command applied); "none" for a plain ring.
std::string active_features(const RingConfig& c, const ringcore::Ring& ring, bool fixed_used, bool bufring_used,
                            bool linked_used);

}  // namespace ringcore_backend
