"""Small original examples the training tests share."""

QUESTIONS_AND_ANSWERS = [
    ("What does the macro SEGMENTED_TO_VIRTUAL expand to?", "It converts a segmented address."),
    ("Explain what this function does in the GBA engine.", "The player object is spawned in the room."),
    ("def add(a, b): what does it return?", "It returns a + b."),
    ("How do I call add?", "Call it with two numbers, for example add(1, 2)."),
    ("Where is the player spawned?", "At the given position in the room."),
    ("What is a virtual address?", "An address the engine reads directly."),
]
