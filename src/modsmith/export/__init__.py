"""Export of a tuned model: merged weights, GGUF with a parity check, an Ollama Modelfile."""
