C360.tokens("746f",["tom",12,"tom@outlook.com",14]);
