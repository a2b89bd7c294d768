package br.com.lepapon.bridge.events;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A record that the file sinks write as one line of JSON Lines. */
public interface JsonLineRecord {

    ObjectNode toJson();
}
