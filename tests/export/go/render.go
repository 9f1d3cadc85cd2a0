// Command render prints what an Ollama-style chat template makes of conversations, with Go's own
// text/template, so tests can compare it with the Jinja template it was translated from.
//
// Input (stdin, JSON): {"template": "...", "conversations": [[{"role": "...", "content": "..."}, ...], ...]}
// Output (stdout, JSON): one rendered string per conversation.
//
// The data follow Ollama's: .Messages holds the conversation with consecutive messages of one role
// merged (contents joined by a blank line), system messages included; .System joins the system contents.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/template"
)

type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type Input struct {
	Template      string      `json:"template"`
	Conversations [][]Message `json:"conversations"`
}

func templateData(messages []Message) map[string]any {
	var system []string
	var merged []Message
	for _, message := range messages {
		if message.Role == "system" {
			system = append(system, message.Content)
		}
		if len(merged) > 0 && merged[len(merged)-1].Role == message.Role {
			merged[len(merged)-1].Content += "\n\n" + message.Content
		} else {
			merged = append(merged, message)
		}
	}
	return map[string]any{"System": strings.Join(system, "\n\n"), "Messages": merged}
}

func main() {
	var input Input
	if err := json.NewDecoder(os.Stdin).Decode(&input); err != nil {
		fmt.Fprintln(os.Stderr, "reading the input:", err)
		os.Exit(2)
	}
	parsed, err := template.New("chat").Parse(input.Template)
	if err != nil {
		fmt.Fprintln(os.Stderr, "parsing the template:", err)
		os.Exit(1)
	}
	rendered := []string{}
	for _, conversation := range input.Conversations {
		var out bytes.Buffer
		if err := parsed.Execute(&out, templateData(conversation)); err != nil {
			fmt.Fprintln(os.Stderr, "rendering:", err)
			os.Exit(1)
		}
		rendered = append(rendered, out.String())
	}
	if err := json.NewEncoder(os.Stdout).Encode(rendered); err != nil {
		fmt.Fprintln(os.Stderr, "writing the output:", err)
		os.Exit(2)
	}
}
