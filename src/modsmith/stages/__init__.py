"""Stage kinds that several stage families build on (`TeacherStage`: a stage that asks a teacher)."""
