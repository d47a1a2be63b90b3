#include <iostream>
#include "core/runtime.hpp"
#include <pinnkit/version.hpp>
int main() { std::cout << "pinnkit " << PINNKIT_VERSION << "\n"; }
