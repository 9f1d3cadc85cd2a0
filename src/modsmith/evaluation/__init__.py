"""Evaluation of a tuned model: answers from the base and the adapter (or an endpoint), scored with the
same grounding checks as the data, and a report comparing them."""
