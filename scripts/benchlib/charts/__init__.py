"""One module per chart kind. Each `draw(results, out_dir) -> list[Drawn]` writes PNGs and says
what it left out, so the report can list it."""
