#include "backend.hpp"

int main(int argc, char** argv) {
  return bench::backend_main(argc, argv,
                             bench::Backend{"std", std_backend::serve, std_backend::file_read, std_backend::copy_chain});
}
