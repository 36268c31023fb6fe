C360.tokens("6465",["deepak",12,"delhi",4,"delhi",14]);
