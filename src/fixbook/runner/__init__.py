"""Running scripts: cold runner, child-side harness, warm runner and its zygotes."""
