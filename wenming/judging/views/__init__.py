"""Staff pages of expert judging: the expert's queue and scoring sheet, schemes (the tree editor),
rounds with panels, assignment and ranking, and committee votes."""
