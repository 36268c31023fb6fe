C360.tokens("616c",["ali",52,"ali",53,"ali.khan@aol.com",54]);
