C360.tokens("616e",["anil",12,"anil",13,"anil.sharma@yahoo.in",14,"anjali",45]);
